import { ViewerFlag, type ViewerSets } from '@app/caching';
import { FOLLOWEES } from '@app/users';

/** The names of the viewer's own sets the per-viewer booleans are looked up in (ViewerOverlayService). */
export const FAVORITES = 'favorites';
export { FOLLOWEES };

/**
 * Where a document's per-viewer booleans come from: the viewer's sets (`boolean`), or placeholders
 * for a document rendered once and cached for every viewer (`ViewerFlag`).
 */
export interface ViewerFlags<F> {
  favorited(articleId: number): F;
  following(userId: number): F;
}

export const TEMPLATE_FLAGS: ViewerFlags<ViewerFlag> = {
  favorited: (articleId) => new ViewerFlag(FAVORITES, articleId),
  following: (userId) => new ViewerFlag(FOLLOWEES, userId),
};

/** Flags answered from the viewer's own sets (empty sets: an anonymous reader). */
export function flagsOf(sets: ViewerSets): ViewerFlags<boolean> {
  const favorites = new Set(sets[FAVORITES]);
  const followees = new Set(sets[FOLLOWEES]);
  return {
    favorited: (articleId) => favorites.has(articleId),
    following: (userId) => followees.has(userId),
  };
}
