import {
  joinSpliced,
  joinStamps,
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

/**
 * The cached document as this viewer sees it (anonymous: `null`), ready to send. `refresh` builds it
 * again for the response tier (PersonalizedBody.refresh).
 */
export function renderFor<T>(
  cached: Cached<CachedDocument<T>>,
  sets: ViewerSets | null,
  refresh?: () => Promise<PersonalizedBody<T>>,
): PersonalizedBody<T> {
  const { template, anonymous } = cached.value;
  const json = sets === null ? anonymous : renderSpliced(template, sets);
  return new PersonalizedBody<T>(json, template, cached, refresh);
}

/**
 * A document whose array `field` holds cached documents (a list page of cached items), as one cached
 * document: the items keep their own slots, the stamp covers every part, and it is stale if any part is.
 */
export function composeDocument<T>(
  shell: T,
  field: keyof T & string,
  items: readonly Cached<CachedDocument<unknown>>[],
  shellOrigin: Cached<unknown>,
): Cached<CachedDocument<T>> {
  // The shell with an empty array, cut where the items go: `{"articles":` | `[]` | `,"articlesCount":3}`.
  const text = JSON.stringify({ ...shell, [field]: [] });
  const at = text.indexOf('[]', text.indexOf(`"${field}":`));
  const [prefix, suffix] = [`${text.slice(0, at)}[`, `]${text.slice(at + 2)}`];
  const docs = items.map((item) => item.value);
  const parts = [shellOrigin, ...items];
  const stale = parts.map((part) => part.staleSince).filter((since) => since !== undefined);
  return {
    value: {
      template: joinSpliced(
        prefix,
        docs.map((doc) => doc.template),
        ',',
        suffix,
      ),
      anonymous: prefix + docs.map((doc) => doc.anonymous).join(',') + suffix,
    },
    stamp: joinStamps(parts.map((part) => part.stamp)),
    staleSince: stale.length === 0 ? undefined : Math.min(...stale),
  };
}
