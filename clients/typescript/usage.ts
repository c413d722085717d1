// What a frontend team writes against the client generated from /docs-json (`npm run check:client`
// generates it and type-checks this file): register, list articles, favorite one. If the document
// loses a route, a field or the error envelope, this stops compiling.
import type { components, paths } from 'conduit-api';

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
type ErrorEnvelope = components['schemas']['ErrorEnvelope'];

type RegisterBody = Json<paths['/api/users']['post']['requestBody']>;
type Registered = Json<paths['/api/users']['post']['responses']['201']>;
type RegisterRejected = Json<paths['/api/users']['post']['responses']['422']>;
type ArticlesQuery = NonNullable<paths['/api/articles']['get']['parameters']['query']>;
type ArticlesPage = Json<paths['/api/articles']['get']['responses']['200']>;
type Favorited = Json<paths['/api/articles/{slug}/favorite']['post']['responses']['200']>;
type NotFound = Json<paths['/api/articles/{slug}/favorite']['post']['responses']['404']>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorEnvelope,
  ) {
    super(
      Object.entries(body.errors)
        .map(([field, messages]) => `${field} ${messages.join(', ')}`)
        .join('; '),
    );
  }
}

export class ConduitClient {
  private token: string | undefined;

  constructor(private readonly baseUrl: string) {}

  async register(user: RegisterBody['user']): Promise<Registered['user']> {
    const body: RegisterBody = { user };
    const res = await this.send('POST', '/api/users', body);
    if (res.status !== 201) throw new ApiError(res.status, (await res.json()) as RegisterRejected);
    const registered = (await res.json()) as Registered;
    this.token = registered.user.token;
    return registered.user;
  }

  async listArticles(query: ArticlesQuery = {}): Promise<ArticlesPage> {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) search.set(name, String(value));
    const res = await this.send('GET', `/api/articles?${search.toString()}`);
    if (!res.ok) throw new ApiError(res.status, (await res.json()) as ErrorEnvelope);
    return (await res.json()) as ArticlesPage;
  }

  async favorite(slug: string): Promise<Favorited['article']> {
    const res = await this.send('POST', `/api/articles/${encodeURIComponent(slug)}/favorite`);
    if (res.status === 404) throw new ApiError(404, (await res.json()) as NotFound);
    if (!res.ok) throw new ApiError(res.status, (await res.json()) as ErrorEnvelope);
    return ((await res.json()) as Favorited).article;
  }

  private send(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (this.token) headers.Authorization = `Token ${this.token}`;
    return fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
}

/** The three steps, typed end to end: the fields used here must exist in the document. */
export async function favoriteTheNewest(baseUrl: string): Promise<{ username: string; favoritesCount: number }> {
  const api = new ConduitClient(baseUrl);
  const me = await api.register({ username: 'jake', email: 'jake@jake.jake', password: 'jakejake' });
  const page = await api.listArticles({ limit: 1, offset: 0 });
  const newest = page.articles[0];
  if (page.articlesCount === 0 || newest === undefined) return { username: me.username, favoritesCount: 0 };
  const article = await api.favorite(newest.slug);
  const favorited: boolean = article.favorited;
  return { username: me.username, favoritesCount: favorited ? article.favoritesCount : 0 };
}
