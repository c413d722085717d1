import { renderSpliced, type SplicedJson } from '@app/caching';
import { appendArticle, listDocument, singleDocument, type ViewTemplate } from '../view-template';

/** A list page as the cache keeps it: the per-viewer document, and its finished anonymous text. */
export interface CachedArticleDocument {
  doc: SplicedJson;
  anonymous: string;
}

export function articleListTemplate(items: ViewTemplate[], count: number): SplicedJson {
  return listDocument('articles', items, appendArticle, `,"articlesCount":${count}`);
}

/** What the cache keeps for a list page: the template and its anonymous rendering, made once. */
export function articleListDocument(items: ViewTemplate[], count: number): CachedArticleDocument {
  const doc = articleListTemplate(items, count);
  return { doc, anonymous: renderSpliced(doc) };
}

export function singleArticleDocument(item: ViewTemplate): SplicedJson {
  return singleDocument('article', item, appendArticle);
}
