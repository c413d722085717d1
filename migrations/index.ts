import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { ArticleTotals1764000000001 } from './1764000000001-article-totals';
import { ArticleTagList1764000000002 } from './1764000000002-article-tag-list';
import { ArticleTotalsAtCommit1764000000003 } from './1764000000003-article-totals-at-commit';

/** Every migration, in order. Listed as classes so the CLI, the app and Jest load them the same way. */
export const MIGRATIONS = [
  InitialSchema1764000000000,
  ArticleTotals1764000000001,
  ArticleTagList1764000000002,
  ArticleTotalsAtCommit1764000000003,
];
