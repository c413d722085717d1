import { renderSpliced, spliceDocument, ViewerFlag } from './spliced-json';

describe(renderSpliced.name, () => {
  const doc = spliceDocument({
    items: [
      { id: 1, liked: new ViewerFlag('likes', 1), author: { id: 7, followed: new ViewerFlag('follows', 7) } },
      { id: 2, liked: new ViewerFlag('likes', 2) },
    ],
  });

  it('should render every slot false without a viewer, as valid JSON', () => {
    expect(JSON.parse(renderSpliced(doc))).toEqual({
      items: [
        { id: 1, liked: false, author: { id: 7, followed: false } },
        { id: 2, liked: false },
      ],
    });
  });

  it('should render the slots from the viewer’s own sets', () => {
    const json = renderSpliced(doc, { likes: [2, 99], follows: [7] });
    expect(JSON.parse(json)).toEqual({
      items: [
        { id: 1, liked: false, author: { id: 7, followed: true } },
        { id: 2, liked: true },
      ],
    });
  });

  it('should give the same answer for the same (cached, frozen) set used twice', () => {
    const likes = Object.freeze([1]);
    expect(renderSpliced(doc, { likes, follows: [] })).toBe(renderSpliced(doc, { likes, follows: [] }));
  });

  it('should keep one more part than slots', () => {
    expect(doc.parts).toHaveLength(doc.slots.length + 1);
  });
});

describe(spliceDocument.name, () => {
  const document = {
    items: [
      {
        id: 1,
        title: 'a "quoted" \\ title',
        liked: new ViewerFlag('likes', 1),
        author: { followed: new ViewerFlag('follows', 7) },
      },
      { id: 2, title: 'plain', liked: new ViewerFlag('likes', 2), author: { followed: new ViewerFlag('follows', 8) } },
    ],
    count: 2,
  };

  it('should render compact JSON equal to the document with the viewer’s booleans', () => {
    const sut = spliceDocument(document);
    const json = renderSpliced(sut, { likes: [2], follows: [7] });
    expect(json).toBe(
      JSON.stringify({
        items: [
          { id: 1, title: 'a "quoted" \\ title', liked: false, author: { followed: true } },
          { id: 2, title: 'plain', liked: true, author: { followed: false } },
        ],
        count: 2,
      }),
    );
    expect(sut.slots).toEqual([
      { set: 'likes', id: 1 },
      { set: 'follows', id: 7 },
      { set: 'likes', id: 2 },
      { set: 'follows', id: 8 },
    ]);
  });

  it('should leave client text that imitates a slot as text, and never send the marker out', () => {
    const marker = JSON.stringify(new ViewerFlag('likes', 1)); // "<process nonce>:likes:1"
    const lookalike = marker.replace(/^"[0-9a-f]+/, '"000000000000000000000000');
    const sut = spliceDocument({ title: JSON.parse(lookalike) as string, liked: new ViewerFlag('likes', 1) });
    expect(sut.slots).toEqual([{ set: 'likes', id: 1 }]);
    const json = renderSpliced(sut, { likes: [1] });
    expect(JSON.parse(json)).toEqual({ title: JSON.parse(lookalike) as string, liked: true });
    expect(json).not.toContain(marker.slice(1, 25));
  });
});
