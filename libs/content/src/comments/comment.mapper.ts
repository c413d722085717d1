import { toProfile, type ProfileRow } from '@app/users';
import type { CommentView } from '../dto/article-response.dto';
import type { ViewerFlags } from '../viewer-flags';

export interface CommentRow {
  id: number;
  body: string;
  createdAt: Date;
  updatedAt: Date;
  author: ProfileRow;
}

export function toComment<F>(row: CommentRow, flags: ViewerFlags<F>): CommentView<F> {
  return {
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    body: row.body,
    author: toProfile(row.author, flags.following(row.author.id)),
  };
}
