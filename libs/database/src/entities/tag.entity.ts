import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A tag name, shared by the articles carrying it. */
@Entity({ name: 'tags' })
// lookup by name (filter, upsert on article create)
@Index('tags_name_uq', ['name'], { unique: true })
export class TagEntity {
  @PrimaryGeneratedColumn('identity', {
    name: 'id',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'tags_pkey',
  })
  id!: number;

  @Column({ name: 'name', type: 'varchar', length: 64 })
  name!: string;
}
