import {
  PersonalizedBody,
  renderSpliced,
  spliceDocument,
  type Cached,
  type SplicedJson,
  type ViewerSets,
} from '@app/caching';

/**
 * A document as the cache keeps it: rendered once from its typed form, with the per-viewer booleans
 * left as slots, and its anonymous text made once too. `T` is the type the document has when sent.
 */
export interface CachedDocument<T> {
  template: SplicedJson;
  anonymous: string;
  /** Phantom: what `template` renders to. */
  readonly sent?: T;
}

/** `document` is a `T` whose per-viewer booleans are placeholders (`TEMPLATE_FLAGS`). */
export function cacheDocument<T>(document: unknown): CachedDocument<T> {
  const template = spliceDocument(document);
  return { template, anonymous: renderSpliced(template) };
}

/** The cached document as this viewer sees it (anonymous: `null`), ready to send. */
export function renderFor<T>(cached: Cached<CachedDocument<T>>, sets: ViewerSets | null): PersonalizedBody<T> {
  const { template, anonymous } = cached.value;
  const json = sets === null ? anonymous : renderSpliced(template, sets);
  return new PersonalizedBody<T>(json, template, cached.staleSince);
}
