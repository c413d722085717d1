import { AtLeastOneField, OptionalField } from '@app/users';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class NewArticleDto {
  @ApiProperty({ example: 'How to train your dragon', minLength: 1, maxLength: 255 })
  @Transform(trim)
  @IsString()
  @Length(1, 255)
  title!: string;

  @ApiProperty({ example: 'Ever wonder how?', minLength: 1, maxLength: 1024 })
  @Transform(trim)
  @IsString()
  @Length(1, 1024)
  description!: string;

  @ApiProperty({ example: 'You have to believe', minLength: 1, maxLength: 100000 })
  @IsString()
  @Length(1, 100_000)
  body!: string;

  @ApiPropertyOptional({ type: [String], example: ['dragons', 'training'], maxItems: 20 })
  @OptionalField()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  tagList?: string[];
}

export class CreateArticleDto {
  @ApiProperty({ type: NewArticleDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => NewArticleDto)
  article!: NewArticleDto;
}

export class UpdateArticleFieldsDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 255 })
  @OptionalField()
  @Transform(trim)
  @IsString()
  @Length(1, 255)
  title?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 1024 })
  @OptionalField()
  @Transform(trim)
  @IsString()
  @Length(1, 1024)
  description?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 100000 })
  @OptionalField()
  @IsString()
  @Length(1, 100_000)
  body?: string;

  @ApiPropertyOptional({ type: [String], maxItems: 20 })
  @OptionalField()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  tagList?: string[];
}

export class UpdateArticleDto {
  @ApiProperty({ type: UpdateArticleFieldsDto })
  @IsDefined()
  @AtLeastOneField()
  @ValidateNested()
  @Type(() => UpdateArticleFieldsDto)
  article!: UpdateArticleFieldsDto;
}

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20, description: 'Items per page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer from 1 to 100' })
  @Min(1, { message: 'must be an integer from 1 to 100' })
  @Max(100, { message: 'must be an integer from 1 to 100' })
  limit: number = 20;

  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'Items to skip' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a non-negative integer' })
  @Min(0, { message: 'must be a non-negative integer' })
  @Max(1_000_000, { message: 'must be at most 1000000' })
  offset: number = 0;
}

export class ListArticlesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only articles with this tag', example: 'dragons' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  tag?: string;

  @ApiPropertyOptional({ description: 'Only articles by this username', example: 'jake' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  author?: string;

  @ApiPropertyOptional({ description: 'Only articles favorited by this username', example: 'jake' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  favorited?: string;
}

export class NewCommentDto {
  @ApiProperty({ example: 'It takes a Jacobian', minLength: 1, maxLength: 10000 })
  @IsString()
  @Length(1, 10_000)
  body!: string;
}

export class CreateCommentDto {
  @ApiProperty({ type: NewCommentDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => NewCommentDto)
  comment!: NewCommentDto;
}
