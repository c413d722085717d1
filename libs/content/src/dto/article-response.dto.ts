import { ProfileDto, type ProfileView } from '@app/users';
import { ApiProperty } from '@nestjs/swagger';

/*
 * Each document type is an interface generic in its per-viewer booleans (`F`): `boolean` when it is
 * sent, a placeholder when the cache renders it once for every viewer (see viewer-flags.ts). The
 * Swagger classes below implement them, so /docs and what the mappers build cannot drift apart.
 */

export interface ArticleListItemView<F = boolean> {
  slug: string;
  title: string;
  description: string;
  tagList: string[];
  createdAt: string;
  updatedAt: string;
  favorited: F;
  favoritesCount: number;
  author: ProfileView<F>;
}

export interface ArticleView<F = boolean> extends ArticleListItemView<F> {
  body: string;
}

export interface CommentView<F = boolean> {
  id: number;
  createdAt: string;
  updatedAt: string;
  body: string;
  author: ProfileView<F>;
}

export interface SingleArticleResponse<F = boolean> {
  article: ArticleView<F>;
}

export interface MultipleArticlesResponse<F = boolean> {
  articles: ArticleListItemView<F>[];
  articlesCount: number;
}

export interface SingleCommentResponse<F = boolean> {
  comment: CommentView<F>;
}

export interface MultipleCommentsResponse<F = boolean> {
  comments: CommentView<F>[];
}

export interface TagsResponse {
  tags: string[];
}

export class ArticleListItemDto implements ArticleListItemView {
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

export class ArticleDto extends ArticleListItemDto implements ArticleView {
  @ApiProperty({ example: 'It takes a Jacobian' }) body!: string;
}

export class SingleArticleResponseDto implements SingleArticleResponse {
  @ApiProperty({ type: ArticleDto }) article!: ArticleDto;
}

export class MultipleArticlesResponseDto implements MultipleArticlesResponse {
  @ApiProperty({ type: [ArticleListItemDto], description: 'List items leave out `body`' })
  articles!: ArticleListItemDto[];
  @ApiProperty({ type: 'integer', example: 1, description: 'Total matching the filters, across pages' })
  articlesCount!: number;
}

export class CommentDto implements CommentView {
  @ApiProperty({ type: 'integer', example: 1 }) id!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ example: 'It takes a Jacobian' }) body!: string;
  @ApiProperty({ type: ProfileDto }) author!: ProfileDto;
}

export class SingleCommentResponseDto implements SingleCommentResponse {
  @ApiProperty({ type: CommentDto }) comment!: CommentDto;
}

export class MultipleCommentsResponseDto implements MultipleCommentsResponse {
  @ApiProperty({ type: [CommentDto] }) comments!: CommentDto[];
}

export class TagsResponseDto implements TagsResponse {
  @ApiProperty({ type: [String], example: ['dragons', 'training'] }) tags!: string[];
}
