import { toProfile, type ProfileRow } from '@app/users';
import type { ArticleListItemView, ArticleView } from '../dto/article-response.dto';
import type { ViewerFlags } from '../viewer-flags';

/** An article as the list query reads it: its columns and its author's (no body). */
export interface ArticleListRow {
  id: number;
  slug: string;
  title: string;
  description: string;
  /** Sorted names, kept on the article by a trigger on article_tags (migration ArticleTagList). */
  tagList: string[];
  createdAt: Date;
  updatedAt: Date;
  favoritesCount: number;
  author: ProfileRow;
}

export interface ArticleRow extends ArticleListRow {
  body: string;
}

/** A list item: the article without its body, as the newer RealWorld spec lists them. */
export function toArticleListItem<F>(row: ArticleListRow, flags: ViewerFlags<F>): ArticleListItemView<F> {
  return {
    slug: row.slug,
    title: row.title,
    description: row.description,
    tagList: row.tagList,
    // ISO-8601 UTC with milliseconds, as RealWorld clients parse it.
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    favorited: flags.favorited(row.id),
    favoritesCount: row.favoritesCount,
    author: toProfile(row.author, flags.following(row.author.id)),
  };
}

export function toArticle<F>(row: ArticleRow, flags: ViewerFlags<F>): ArticleView<F> {
  return { ...toArticleListItem(row, flags), body: row.body };
}
