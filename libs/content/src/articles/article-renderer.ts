import { renderArticle, type ViewTemplate } from '../view-template';
import type { ViewerSets } from '../viewer-overlay.service';

/** A list page as the cache keeps it: templates for viewers, and the finished anonymous body. */
export interface CachedArticlePage {
  count: number;
  items: ViewTemplate[];
  anonymous: string;
}

const NOBODY: ViewerSets = { favorites: [], followees: [] };

function item(t: ViewTemplate, viewer: ViewerSets): string {
  return renderArticle(t, viewer.favorites.includes(t.id), viewer.followees.includes(t.authorId));
}

export function renderArticleList(items: ViewTemplate[], count: number, viewer: ViewerSets = NOBODY): string {
  return `{"articles":[${items.map((t) => item(t, viewer)).join(',')}],"articlesCount":${count}}`;
}

export function renderSingleArticle(t: ViewTemplate, viewer: ViewerSets = NOBODY): string {
  return `{"article":${item(t, viewer)}}`;
}
