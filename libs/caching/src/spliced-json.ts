import { randomBytes } from 'node:crypto';

/**
 * A JSON document that is the same for every viewer but for some booleans ("favorited", "following"):
 * the shared text cut around them. Slot i sits between part i and part i + 1, and is true when `id`
 * is in the viewer's set named `set`. Plain data, cached like any other value.
 */
export interface SplicedJson {
  parts: string[];
  slots: { set: string; id: number }[];
}

/** The viewer's own sets by name (e.g. `favorites`: article ids). */
export type ViewerSets = Readonly<Record<string, readonly number[]>>;

/** The document as `viewer` sees it; with no viewer every slot is false. */
export function renderSpliced(doc: SplicedJson, viewer?: ViewerSets): string {
  const sets = new Map<string, ReadonlySet<number>>();
  let out = doc.parts[0];
  for (let i = 0; i < doc.slots.length; i++) {
    const { set, id } = doc.slots[i];
    let ids = sets.get(set);
    if (ids === undefined) sets.set(set, (ids = new Set(viewer?.[set])));
    out += ids.has(id) + doc.parts[i + 1];
  }
  return out;
}

// Unguessable per process: client text can never contain a slot marker (it is never sent out).
const MARKER_NONCE = randomBytes(12).toString('hex');
const MARKER = new RegExp(`"${MARKER_NONCE}:([\\w-]+):(\\d+)"`, 'g');

/**
 * A per-viewer boolean in a typed document, before it is known whose view this is: true when `id` is in
 * the viewer's set `set`. `JSON.stringify` writes a marker that `spliceDocument` turns into a slot.
 */
export class ViewerFlag {
  constructor(
    readonly set: string,
    readonly id: number,
  ) {}

  toJSON(): string {
    return `${MARKER_NONCE}:${this.set}:${this.id}`;
  }
}

/** Serializes a document (compact JSON) and cuts it around its `ViewerFlag`s. */
export function spliceDocument(document: unknown): SplicedJson {
  const json = JSON.stringify(document);
  const parts: string[] = [];
  const slots: SplicedJson['slots'] = [];
  let from = 0;
  for (const match of json.matchAll(MARKER)) {
    parts.push(json.slice(from, match.index));
    slots.push({ set: match[1], id: Number(match[2]) });
    from = match.index + match[0].length;
  }
  parts.push(json.slice(from));
  return { parts, slots };
}

/** Documents side by side as one template (a list page from its cached items, each keeping its slots). */
export function joinSpliced(prefix: string, docs: readonly SplicedJson[], separator: string, suffix: string) {
  const parts = [prefix];
  const slots: SplicedJson['slots'] = [];
  docs.forEach((doc, i) => {
    parts[parts.length - 1] += (i === 0 ? '' : separator) + doc.parts[0];
    for (let k = 0; k < doc.slots.length; k++) {
      slots.push(doc.slots[k]);
      parts.push(doc.parts[k + 1]);
    }
  });
  parts[parts.length - 1] += suffix;
  return { parts, slots } satisfies SplicedJson;
}
