import { randomBytes } from 'node:crypto';

/**
 * A JSON document the same for every viewer but for some booleans ("favorited"), cut around them: slot i
 * sits between parts i and i + 1, true when `id` is in the viewer's set named `set`. Plain, cacheable data.
 */
export interface SplicedJson {
  parts: string[];
  slots: { set: string; id: number }[];
}

/** The viewer's own sets by name (e.g. `favorites`: article ids). */
export type ViewerSets = Readonly<Record<string, readonly number[]>>;

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

/** A per-viewer boolean in a typed document: `JSON.stringify` writes a marker `spliceDocument` cuts at. */
export class ViewerFlag {
  constructor(
    readonly set: string,
    readonly id: number,
  ) {}

  toJSON(): string {
    return `${MARKER_NONCE}:${this.set}:${this.id}`;
  }
}

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

/** Documents side by side as one template: a list page from its cached items. */
export function joinSpliced(prefix: string, docs: readonly SplicedJson[], separator: string, suffix: string) {
  const parts = [prefix];
  const slots: SplicedJson['slots'] = [];
  docs.forEach((doc, i) => {
    parts[parts.length - 1] += (i === 0 ? '' : separator) + doc.parts[0];
    slots.push(...doc.slots);
    for (let k = 1; k < doc.parts.length; k++) parts.push(doc.parts[k]);
  });
  parts[parts.length - 1] += suffix;
  return { parts, slots } satisfies SplicedJson;
}
