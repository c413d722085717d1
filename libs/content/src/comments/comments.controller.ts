import { PersonalizedBody, ResponseCached } from '@app/caching';
import { Auth, CurrentUser, ErrorResponseDto, OptionalAuth, type AuthUser } from '@app/users';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  UnprocessableEntityException,
  type PipeTransform,
} from '@nestjs/common';
import {
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CreateCommentDto } from '../dto/article-request.dto';
import {
  MultipleCommentsResponseDto,
  SingleCommentResponseDto,
  type MultipleCommentsResponse,
  type SingleCommentResponse,
} from '../dto/article-response.dto';
import { CommentService } from './comment.service';

const MAX_ID = 2_147_483_647; // comments.id is a PostgreSQL integer

/** A comment id: a positive integer that fits the column, else 422 (never a database error). */
const commentIdPipe: PipeTransform<string, number> = {
  transform(value: string): number {
    const id = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
    if (!(id >= 1 && id <= MAX_ID)) {
      throw new UnprocessableEntityException({ errors: { id: ['must be a positive integer'] } });
    }
    return id;
  },
};

@ApiTags('Comments')
@ApiParam({ name: 'slug', example: 'how-to-train-your-dragon' })
@ApiNotFoundResponse({ description: 'No such article (or comment)', type: ErrorResponseDto })
@Controller('articles/:slug/comments')
export class CommentsController {
  constructor(private readonly comments: CommentService) {}

  @Get()
  @ResponseCached()
  @OptionalAuth()
  @ApiOperation({ summary: 'Comments of an article, oldest first' })
  @ApiOkResponse({ type: MultipleCommentsResponseDto })
  getArticleComments(
    @Param('slug') slug: string,
    @CurrentUser() viewer: AuthUser | null,
  ): Promise<PersonalizedBody<MultipleCommentsResponse>> {
    return this.comments.list(slug, viewer);
  }

  @Post()
  @Auth()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Comment on an article' })
  @ApiOkResponse({ type: SingleCommentResponseDto })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto })
  createArticleComment(
    @Param('slug') slug: string,
    @Body() body: CreateCommentDto,
    @CurrentUser() viewer: AuthUser,
  ): Promise<SingleCommentResponse> {
    return this.comments.add(viewer, slug, body.comment.body);
  }

  @Delete(':id')
  @Auth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a comment (its author only)' })
  @ApiParam({ name: 'id', type: 'integer' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiForbiddenResponse({ description: 'Not the comment author', type: ErrorResponseDto })
  deleteArticleComment(
    @Param('slug') slug: string,
    @Param('id', commentIdPipe) id: number,
    @CurrentUser() viewer: AuthUser,
  ): Promise<void> {
    return this.comments.delete(viewer, slug, id);
  }
}
