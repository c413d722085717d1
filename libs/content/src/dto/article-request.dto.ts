import { AtLeastOneField, fieldDefinition, Trim } from '@app/users';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
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
  @IsDefined()
  @ValidateNested()
  @Type(() => NewArticleDto)
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
