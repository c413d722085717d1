import { PersonalizedBody, ResponseCached } from '@app/caching';
import { Auth, CurrentUser, ErrorResponseDto, OptionalAuth, type AuthUser } from '@app/users';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CreateArticleDto, ListArticlesQueryDto, PageQueryDto, UpdateArticleDto } from '../dto/article-request.dto';
import {
  MultipleArticlesResponseDto,
  SingleArticleResponseDto,
  type MultipleArticlesResponse,
  type SingleArticleResponse,
} from '../dto/article-response.dto';
import { ArticleListService } from './article-list.service';
import { ArticleService } from './article.service';

@ApiTags('Articles')
@ApiUnprocessableEntityResponse({ description: 'Invalid input, field by field', type: ErrorResponseDto })
@Controller('articles')
export class ArticlesController {
  constructor(
    private readonly articles: ArticleService,
    private readonly lists: ArticleListService,
  ) {}

  @Get()
  @ResponseCached()
  @OptionalAuth()
  @ApiOperation({
    summary: 'List articles, newest first',
    description: 'Filters combine; unknown values give an empty list.',
  })
  @ApiOkResponse({ type: MultipleArticlesResponseDto })
  getArticles(
    @Query() query: ListArticlesQueryDto,
    @CurrentUser() viewer: AuthUser | null,
  ): Promise<PersonalizedBody<MultipleArticlesResponse>> {
    return this.lists.list(query, viewer);
  }

  @Get('feed')
  @Auth()
  @ApiOperation({ summary: 'Articles by authors the current user follows, newest first' })
  @ApiOkResponse({ type: MultipleArticlesResponseDto })
  getArticlesFeed(@Query() query: PageQueryDto, @CurrentUser() viewer: AuthUser): Promise<MultipleArticlesResponse> {
    return this.articles.feed(query, viewer);
  }

  @Get(':slug')
  @ResponseCached()
  @OptionalAuth()
  @ApiOperation({ summary: 'Get an article' })
  @ApiParam({ name: 'slug', example: 'how-to-train-your-dragon' })
  @ApiOkResponse({ type: SingleArticleResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  getArticle(
    @Param('slug') slug: string,
    @CurrentUser() viewer: AuthUser | null,
  ): Promise<PersonalizedBody<SingleArticleResponse>> {
    return this.articles.get(slug, viewer);
  }

  @Post()
  @Auth({ viewerCheckedByWrite: true })
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create an article' })
  @ApiCreatedResponse({ type: SingleArticleResponseDto })
  createArticle(@Body() body: CreateArticleDto, @CurrentUser() author: AuthUser): Promise<SingleArticleResponse> {
    return this.articles.create(author, body.article);
  }

  @Put(':slug')
  @Auth()
  @ApiOperation({ summary: 'Update an article (its author only); a new title gives a new slug' })
  @ApiParam({ name: 'slug' })
  @ApiOkResponse({ type: SingleArticleResponseDto })
  @ApiForbiddenResponse({ description: 'Not the author', type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  updateArticle(
    @Param('slug') slug: string,
    @Body() body: UpdateArticleDto,
    @CurrentUser() viewer: AuthUser,
  ): Promise<SingleArticleResponse> {
    return this.articles.update(viewer, slug, body.article);
  }

  @Delete(':slug')
  @Auth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete an article (its author only)' })
  @ApiParam({ name: 'slug' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiForbiddenResponse({ description: 'Not the author', type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  deleteArticle(@Param('slug') slug: string, @CurrentUser() viewer: AuthUser): Promise<void> {
    return this.articles.delete(viewer, slug);
  }

  @Post(':slug/favorite')
  @Auth({ viewerCheckedByWrite: true })
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Favorite an article' })
  @ApiParam({ name: 'slug' })
  @ApiOkResponse({ type: SingleArticleResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  createArticleFavorite(@Param('slug') slug: string, @CurrentUser() viewer: AuthUser): Promise<SingleArticleResponse> {
    return this.articles.favorite(viewer, slug, true);
  }

  @Delete(':slug/favorite')
  @Auth({ viewerCheckedByWrite: true })
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Unfavorite an article' })
  @ApiParam({ name: 'slug' })
  @ApiOkResponse({ type: SingleArticleResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  deleteArticleFavorite(@Param('slug') slug: string, @CurrentUser() viewer: AuthUser): Promise<SingleArticleResponse> {
    return this.articles.favorite(viewer, slug, false);
  }
}
