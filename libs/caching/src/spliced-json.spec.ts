import { renderSpliced, SplicedJsonBuilder } from './spliced-json';

describe(renderSpliced.name, () => {
  const doc = new SplicedJsonBuilder()
    .text('{"items":[{"id":1,"liked":')
    .slot('likes', 1)
    .text(',"author":{"id":7,"followed":')
    .slot('follows', 7)
    .text('}},{"id":2,"liked":')
    .slot('likes', 2)
    .text('}]}')
    .build();

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
