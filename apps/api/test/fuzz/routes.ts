export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type Param = 'username' | 'slug' | 'id';
/** What a body field holds, so a value of another type (or ill-formed text) is surely wrong. */
export type FieldKind = 'text' | 'email' | 'url' | 'tags' | 'nullableText' | 'nullableUrl';

export interface BodySpec {
  /** The envelope key: `{"user": {...}}`. */
  key: 'user' | 'article' | 'comment';
  fields: Record<string, FieldKind>;
  /** Fields without which the body is refused; none for updates (which need at least one field). */
  required: string[];
}

export interface RouteSpec {
  method: Method;
  /** Express-style template, also the name the summary counts by. */
  template: string;
  auth: 'required' | 'optional' | 'none';
  /** True when a request that is not refused may change a table. */
  mutates: boolean;
  /** Only the owner (alice, who wrote the seeded article and comment) may do it. */
  owned?: boolean;
  body?: BodySpec;
  /** Query parameters the route reads. */
  query?: string[];
}

const userFields: BodySpec['fields'] = { username: 'text', email: 'email', password: 'text' };
const articleFields: BodySpec['fields'] = { title: 'text', description: 'text', body: 'text', tagList: 'tags' };
const LIST_QUERY = ['limit', 'offset'];

/** The 19 routes of the RealWorld API v1.1.0. */
export const ROUTES: RouteSpec[] = [
  {
    method: 'POST',
    template: '/api/users/login',
    auth: 'none',
    mutates: false,
    body: { key: 'user', fields: { email: 'text', password: 'text' }, required: ['email', 'password'] },
  },
  {
    method: 'POST',
    template: '/api/users',
    auth: 'none',
    mutates: true,
    body: { key: 'user', fields: userFields, required: Object.keys(userFields) },
  },
  { method: 'GET', template: '/api/user', auth: 'required', mutates: false },
  {
    method: 'PUT',
    template: '/api/user',
    auth: 'required',
    mutates: true,
    body: { key: 'user', fields: { ...userFields, bio: 'nullableText', image: 'nullableUrl' }, required: [] },
  },
  { method: 'GET', template: '/api/profiles/:username', auth: 'optional', mutates: false },
  { method: 'POST', template: '/api/profiles/:username/follow', auth: 'required', mutates: true },
  { method: 'DELETE', template: '/api/profiles/:username/follow', auth: 'required', mutates: true },
  {
    method: 'GET',
    template: '/api/articles',
    auth: 'optional',
    mutates: false,
    query: ['tag', 'author', 'favorited', ...LIST_QUERY],
  },
  { method: 'GET', template: '/api/articles/feed', auth: 'required', mutates: false, query: LIST_QUERY },
  { method: 'GET', template: '/api/articles/:slug', auth: 'optional', mutates: false },
  {
    method: 'POST',
    template: '/api/articles',
    auth: 'required',
    mutates: true,
    body: { key: 'article', fields: articleFields, required: ['title', 'description', 'body'] },
  },
  {
    method: 'PUT',
    template: '/api/articles/:slug',
    auth: 'required',
    mutates: true,
    owned: true,
    body: { key: 'article', fields: articleFields, required: [] },
  },
  { method: 'DELETE', template: '/api/articles/:slug', auth: 'required', mutates: true, owned: true },
  { method: 'POST', template: '/api/articles/:slug/favorite', auth: 'required', mutates: true },
  { method: 'DELETE', template: '/api/articles/:slug/favorite', auth: 'required', mutates: true },
  { method: 'GET', template: '/api/articles/:slug/comments', auth: 'optional', mutates: false },
  {
    method: 'POST',
    template: '/api/articles/:slug/comments',
    auth: 'required',
    mutates: true,
    body: { key: 'comment', fields: { body: 'text' }, required: ['body'] },
  },
  { method: 'DELETE', template: '/api/articles/:slug/comments/:id', auth: 'required', mutates: true, owned: true },
  { method: 'GET', template: '/api/tags', auth: 'none', mutates: false },
];

export function paramsOf(template: string): Param[] {
  return [...template.matchAll(/:(\w+)/g)].map((m) => m[1] as Param);
}

/** What the suite seeded: two users, alice's article with her comment, and tokens that must all be refused. */
export interface Fixture {
  alice: { username: string; token: string };
  bob: { username: string; token: string };
  slug: string;
  commentId: number;
  /** Signed with the right secret but expired, for a user that never existed, or with claims out of range; or forged. */
  refusedTokens: string[];
}
