import { TestApp } from './support/test-app';

describe('Comments', () => {
  let sut: TestApp;
  let jake: { token: string };
  let anne: { token: string };
  let slug: string;

  beforeAll(async () => {
    sut = await TestApp.start();
  });
  beforeEach(async () => {
    await sut.truncate();
    jake = await sut.register('jake');
    anne = await sut.register('anne');
    const res = await sut.call('post', '/api/articles', {
      token: jake.token,
      body: { article: { title: 'Commented', description: 'd', body: 'b' } },
    });
    slug = res.body.article.slug;
  });
  afterAll(async () => {
    await sut.close();
  });

  const add = (token: string, body: unknown) =>
    sut.call('post', `/api/articles/${slug}/comments`, { token, body: { comment: { body } } });

  it('should add a comment with an integer id and list it, oldest first', async () => {
    const first = await add(anne.token, 'First!');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      comment: {
        id: expect.any(Number),
        body: 'First!',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        author: { username: 'anne', bio: null, image: null, following: false },
      },
    });
    expect(Number.isInteger(first.body.comment.id)).toBe(true);
    await add(jake.token, 'Second');
    const list = await sut.call('get', `/api/articles/${slug}/comments`);
    expect(list.status).toBe(200);
    expect(list.body.comments.map((c: { body: string }) => c.body)).toEqual(['First!', 'Second']);
  });

  it('should show following per viewer only', async () => {
    await add(anne.token, 'hello');
    await sut.call('post', '/api/profiles/anne/follow', { token: jake.token });
    const mine = await sut.call('get', `/api/articles/${slug}/comments`, { token: jake.token });
    expect(mine.body.comments[0].author.following).toBe(true);
    const anonymous = await sut.call('get', `/api/articles/${slug}/comments`);
    expect(anonymous.body.comments[0].author.following).toBe(false);
  });

  it('should refuse an empty or missing body with 422, and answer 401 without a token', async () => {
    expect((await add(anne.token, '')).status).toBe(422);
    const missing = await sut.call('post', `/api/articles/${slug}/comments`, { token: anne.token, body: {} });
    expect(missing.status).toBe(422);
    expect(
      (await sut.call('post', `/api/articles/${slug}/comments`, { body: { comment: { body: 'x' } } })).status,
    ).toBe(401);
  });

  it('should answer 404 on an unknown article', async () => {
    expect((await sut.call('get', '/api/articles/nope/comments')).status).toBe(404);
    const res = await sut.call('post', '/api/articles/nope/comments', {
      token: anne.token,
      body: { comment: { body: 'x' } },
    });
    expect(res.status).toBe(404);
  });

  it('should delete with 204 for the comment author only', async () => {
    const { id } = (await add(anne.token, 'mine')).body.comment as { id: number };
    const forbidden = await sut.call('delete', `/api/articles/${slug}/comments/${id}`, { token: jake.token });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toEqual({ errors: { comment: ['can only be deleted by its author'] } });
    const res = await sut.call('delete', `/api/articles/${slug}/comments/${id}`, { token: anne.token });
    expect(res.status).toBe(204);
    expect((await sut.call('get', `/api/articles/${slug}/comments`)).body).toEqual({ comments: [] });
  });

  it.each([
    ['999999', 404],
    ['abc', 422],
    ['99999999999', 422],
  ])('should answer a delete of comment id %s with %i', async (id, status) => {
    const res = await sut.call('delete', `/api/articles/${slug}/comments/${id}`, { token: anne.token });
    expect(res.status).toBe(status);
  });
});
