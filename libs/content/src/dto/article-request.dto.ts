import { AtLeastOneField, BodyObject, fieldDefinition, Trim } from '@app/users';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateBy,
} from 'class-validator';

const title = fieldDefinition(
  { example: 'How to train your dragon', minLength: 1, maxLength: 255 },
  Trim(),
  IsString(),
  Length(1, 255),
);
const description = fieldDefinition(
  { example: 'Ever wonder how?', minLength: 1, maxLength: 1024 },
  Trim(),
  IsString(),
  Length(1, 1024),
);
const body = fieldDefinition(
  { example: 'You have to believe', minLength: 1, maxLength: 100000 },
  IsString(),
  Length(1, 100_000),
);
const tagList = fieldDefinition(
  {
    type: 'array',
    items: { type: 'string', minLength: 1, maxLength: 64 },
    example: ['dragons', 'training'],
    maxItems: 20,
  },
  IsArray(),
  ArrayMaxSize(20),
  IsString({ each: true }),
  Length(1, 64, { each: true }),
);

export class NewArticleDto {
  @title.required() title!: string;
  @description.required() description!: string;
  @body.required() body!: string;
  @tagList.optional() tagList?: string[];
}

export class CreateArticleDto {
  @ApiProperty({ type: NewArticleDto })
  @BodyObject(() => NewArticleDto)
  article!: NewArticleDto;
}

export class UpdateArticleFieldsDto {
  @title.optional() title?: string;
  @description.optional() description?: string;
  @body.optional() body?: string;
  @tagList.optional() tagList?: string[];
}

export class UpdateArticleDto {
  @ApiProperty({ type: UpdateArticleFieldsDto })
  @AtLeastOneField()
  @BodyObject(() => UpdateArticleFieldsDto)
  article!: UpdateArticleFieldsDto;
}

/**
 * A query integer is decimal digits and nothing else. `Number()` (what `@Type(() => Number)` does)
 * also takes "0x10", "1e1", " 5", "+5" and "5.0"; anything else stays a string for `@IsInt` to refuse.
 */
const DecimalDigits = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  );

/** Like `@Max`, but silent about what is not a number at all ("0x1" is not over a million): IsInt says that. */
const IntegerAtMost = (max: number): PropertyDecorator =>
  ValidateBy(
    { name: 'integerAtMost', validator: { validate: (value: unknown) => typeof value !== 'number' || value <= max } },
    { message: `must be at most ${max}` },
  );

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20, description: 'Items per page' })
  @IsOptional()
  @DecimalDigits()
  @IsInt({ message: 'must be an integer from 1 to 100' })
  @Min(1, { message: 'must be an integer from 1 to 100' })
  @Max(100, { message: 'must be an integer from 1 to 100' })
  limit: number = 20;

  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'Items to skip' })
  @IsOptional()
  @DecimalDigits()
  @IsInt({ message: 'must be a non-negative integer' })
  @Min(0, { message: 'must be a non-negative integer' })
  @IntegerAtMost(1_000_000)
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
  @BodyObject(() => NewCommentDto)
  comment!: NewCommentDto;
}
