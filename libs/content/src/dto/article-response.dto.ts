import { ProfileDto } from '@app/users';
import { ApiProperty } from '@nestjs/swagger';

export class ArticleListItemDto {
  @ApiProperty({ example: 'how-to-train-your-dragon' }) slug!: string;
  @ApiProperty({ example: 'How to train your dragon' }) title!: string;
  @ApiProperty({ example: 'Ever wonder how?' }) description!: string;
  @ApiProperty({ type: [String], example: ['dragons', 'training'], description: 'Sorted alphabetically' })
  tagList!: string[];
  @ApiProperty({ format: 'date-time', example: '2026-02-18T03:22:56.637Z' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: '2026-02-18T03:48:35.824Z' }) updatedAt!: string;
  @ApiProperty({ example: false }) favorited!: boolean;
  @ApiProperty({ type: 'integer', example: 0 }) favoritesCount!: number;
  @ApiProperty({ type: ProfileDto }) author!: ProfileDto;
}

export class ArticleDto extends ArticleListItemDto {
  @ApiProperty({ example: 'It takes a Jacobian' }) body!: string;
}

export class SingleArticleResponseDto {
  @ApiProperty({ type: ArticleDto }) article!: ArticleDto;
}

export class MultipleArticlesResponseDto {
  @ApiProperty({ type: [ArticleListItemDto], description: 'List items leave out `body`' })
  articles!: ArticleListItemDto[];
  @ApiProperty({ type: 'integer', example: 1, description: 'Total matching the filters, across pages' })
  articlesCount!: number;
}

export class CommentDto {
  @ApiProperty({ type: 'integer', example: 1 }) id!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ example: 'It takes a Jacobian' }) body!: string;
  @ApiProperty({ type: ProfileDto }) author!: ProfileDto;
}

export class SingleCommentResponseDto {
  @ApiProperty({ type: CommentDto }) comment!: CommentDto;
}

export class MultipleCommentsResponseDto {
  @ApiProperty({ type: [CommentDto] }) comments!: CommentDto[];
}

export class TagsResponseDto {
  @ApiProperty({ type: [String], example: ['dragons', 'training'] }) tags!: string[];
}
