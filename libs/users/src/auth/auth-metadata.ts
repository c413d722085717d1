/** Route metadata set by `@Auth({ viewerCheckedByWrite: true })`: its write statement checks the viewer's row itself. */
export const VIEWER_CHECKED_BY_WRITE = 'pn:viewer-checked-by-write';
