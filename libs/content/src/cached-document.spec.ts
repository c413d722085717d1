import { renderSpliced, ViewerFlag, type Cached } from '@app/caching';
import { cacheDocument, composeDocument, renderFor, type CachedDocument } from './cached-document';

interface Item {
  id: number;
  title: string;
  liked: boolean;
}

interface Page {
  items: Item[];
  count: number;
}

/** An item as the cache keeps it: `liked` a slot on the viewer's `likes` set. */
function item(id: number, title = `Item ${id}`): CachedDocument<Item> {
  return cacheDocument<Item>({ id, title, liked: new ViewerFlag('likes', id) });
}

function fresh<T>(value: T, name: string, version: number): Cached<T> {
  return { value, stamp: { names: [name], versions: [version] } };
}

const SHELL: Page = { items: [], count: 3 };

describe(composeDocument.name, () => {
  it('should cut the shell around its array: the prefix before the first item, the suffix after the last', () => {
    const { value } = composeDocument(SHELL, 'items', [fresh(item(1), 'i1', 1)], fresh({}, 'page', 1));

    expect(value.template.parts[0]).toBe('{"items":[{"id":1,"title":"Item 1","liked":');
    expect(value.template.parts.at(-1)).toBe('}],"count":3}');
  });

  it('should answer anonymous readers valid JSON, items in the given order, every slot false', () => {
    const items = [fresh(item(2), 'i2', 1), fresh(item(1), 'i1', 1)];

    const { value } = composeDocument(SHELL, 'items', items, fresh({}, 'page', 1));

    expect(JSON.parse(value.anonymous)).toEqual({
      items: [
        { id: 2, title: 'Item 2', liked: false },
        { id: 1, title: 'Item 1', liked: false },
      ],
      count: 3,
    });
    expect(renderSpliced(value.template)).toBe(value.anonymous);
  });

  it("should keep every item's slots, in order, so a viewer's rendering is valid JSON too", () => {
    const items = [fresh(item(2), 'i2', 1), fresh(item(1), 'i1', 1), fresh(item(3), 'i3', 1)];

    const { value } = composeDocument(SHELL, 'items', items, fresh({}, 'page', 1));

    expect(value.template.slots).toEqual([
      { set: 'likes', id: 2 },
      { set: 'likes', id: 1 },
      { set: 'likes', id: 3 },
    ]);
    expect(JSON.parse(renderSpliced(value.template, { likes: [3, 2] }))).toEqual({
      items: [
        { id: 2, title: 'Item 2', liked: true },
        { id: 1, title: 'Item 1', liked: false },
        { id: 3, title: 'Item 3', liked: true },
      ],
      count: 3,
    });
  });

  it('should compose an empty array as valid JSON', () => {
    const { value } = composeDocument({ items: [], count: 0 }, 'items', [], fresh({}, 'page', 1));

    expect(JSON.parse(value.anonymous)).toEqual({ items: [], count: 0 });
    expect(value.template).toEqual({ parts: ['{"items":[],"count":0}'], slots: [] });
  });

  it('should cut at the named field even when other fields come first or hold look-alike text', () => {
    const shell = { note: '"items":[]', other: [] as number[], items: [] as Item[] };

    const { value } = composeDocument(shell, 'items', [fresh(item(1), 'i1', 1)], fresh({}, 'page', 1));

    expect(JSON.parse(value.anonymous)).toEqual({
      note: '"items":[]',
      other: [],
      items: [{ id: 1, title: 'Item 1', liked: false }],
    });
  });

  it('should keep text that looks like JSON or a slot inside an item as it is', () => {
    const tricky = item(1, 'a "quote", a ] and a },{');

    const { value } = composeDocument(SHELL, 'items', [fresh(tricky, 'i1', 1)], fresh({}, 'page', 1));

    expect(JSON.parse(renderSpliced(value.template, { likes: [1] }))).toEqual({
      items: [{ id: 1, title: 'a "quote", a ] and a },{', liked: true }],
      count: 3,
    });
  });

  it("should stamp the document with the shell's versions, then each item's, in order", () => {
    const items = [fresh(item(2), 'i2', 7), fresh(item(1), 'i1', 4)];

    const composed = composeDocument(SHELL, 'items', items, fresh({}, 'page', 9));

    expect(composed.stamp).toEqual({ names: ['page', 'i2', 'i1'], versions: [9, 7, 4] });
    expect(composed.staleSince).toBeUndefined();
  });

  it('should be stale since its oldest stale part, with no stamp, when any part is a stale copy', () => {
    const items = [{ value: item(2), staleSince: 5000 }, fresh(item(1), 'i1', 4), { value: item(3), staleSince: 4000 }];

    const composed = composeDocument(SHELL, 'items', items, { value: {}, staleSince: 6000 });

    expect(composed.staleSince).toBe(4000);
    expect(composed.stamp).toBeUndefined();
  });

  it('should be stale when only the shell is', () => {
    const composed = composeDocument(SHELL, 'items', [fresh(item(1), 'i1', 1)], { value: {}, staleSince: 6000 });

    expect(composed.staleSince).toBe(6000);
    expect(composed.stamp).toBeUndefined();
  });

  it('should render for a viewer through renderFor with the composed origin', () => {
    const composed = composeDocument(SHELL, 'items', [fresh(item(1), 'i1', 4)], fresh({}, 'page', 9));

    const body = renderFor(composed, { likes: [1] });

    expect(JSON.parse(body.json)).toEqual({ items: [{ id: 1, title: 'Item 1', liked: true }], count: 3 });
    expect(body.template).toBe(composed.value.template);
    expect(body.stamp).toEqual({ names: ['page', 'i1'], versions: [9, 4] });
    expect(renderFor(composed, null).json).toBe(composed.value.anonymous);
  });
});
