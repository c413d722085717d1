import { DatabaseUnavailableException } from '@app/database';
import { toErrorResponse, type ErrorEnvelope } from './error-envelope';
import { NUL_MESSAGE, SURROGATE_MESSAGE } from './ill-formed-text';
import { MAX_JSON_DEPTH, TOO_DEEP_MESSAGE } from './json-body.parser';

export type ErrorFields = ErrorEnvelope['errors'];

/** One documented error answer: what a client would see, word for word. */
export interface ErrorExample {
  summary: string;
  errors: ErrorFields;
}

type Status = number;
type ExamplesByStatus = Record<Status, ErrorExample[]>;

const example = (summary: string, errors: ErrorFields): ErrorExample => ({ summary, errors });
const TAKEN = 'has already been taken';
const notFound = (resource: string) => example(`No such ${resource}`, { [resource]: ['not found'] });
const missingWrapper = (wrapper: string) =>
  example(`No "${wrapper}" object`, { [wrapper]: [`${wrapper} should not be null or undefined`] });
// A wrapper that is an array, a string or a number (BodyObject in libs/users/src/dto/field.decorators.ts).
const notAnObject = (wrapper: string) =>
  example(`"${wrapper}" is not an object`, { [wrapper]: [`${wrapper} must be an object`] });
// Found by the validation pipe (ill-formed-text.ts) in any string field, before the field's own rules.
const illFormed = (field: string) =>
  example('Text with a NUL character or an unpaired surrogate', { [field]: [SURROGATE_MESSAGE, NUL_MESSAGE] });
const shapeErrors = (wrapper: string, textField: string) => [notAnObject(wrapper), illFormed(textField)];
const nothingToUpdate = (wrapper: string) =>
  example('Nothing to update', { [wrapper]: ['must contain at least one field to update'] });

/** Rendered by the app's own error mapping, so the wording cannot drift from what it answers. */
const rendered = (exception: unknown): ErrorFields => toErrorResponse(exception, 'f81d4fae').body.errors;

/** Any operation may meet these; the mapping derives them from the cause (error-envelope.ts). */
const SERVER_ERRORS: ExamplesByStatus = {
  500: [example('Unexpected error; details are logged under the request id', rendered(new Error('bug')))],
  503: [
    example('PostgreSQL is down or its breaker is open', rendered(new DatabaseUnavailableException(5))),
    example('A connection to a dependency failed', rendered(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))),
  ],
};

// Fastify's body errors as the app answers them (observed: the JSON parser's message comes through as is).
const BODY_ERRORS: ExamplesByStatus = {
  400: [
    example('Malformed JSON', { body: ["Body is not valid JSON but content-type is set to 'application/json'"] }),
    example(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`, { body: [TOO_DEEP_MESSAGE] }),
  ],
  413: [example('Body larger than BODY_LIMIT_KB', { body: ['Request body is too large'] })],
};

/** Any text input reaches PostgreSQL, which refuses NUL characters (error-envelope.ts maps 22021 to 422). */
const NUL_INPUT = example('Input with a NUL character', {
  body: ['contains a character that is not allowed (NUL)'],
});

// The guards' messages: libs/users/src/auth (token.service.ts, auth.guards.ts), libs/monitoring/src/auth.
const BAD_TOKEN = [
  example('Not "Token <jwt>"', { authorization: ['must be "Token <jwt>"'] }),
  example('Signature or claims invalid', { authorization: ['token is invalid'] }),
  example('Expired', { authorization: ['token has expired'] }),
  example('The user was removed', { authorization: ['user no longer exists'] }),
];
const UNAUTHORIZED = {
  required: [example('No token', { authorization: ['is required'] }), ...BAD_TOKEN],
  optional: BAD_TOKEN,
  monitoring: [
    example('No token', { authorization: ['is required: send Authorization: Bearer <token>'] }),
    example('Wrong token', { authorization: ['is not the monitoring token'] }),
  ],
};

// libs/users/src/auth/rate-limit.module.ts (errorMessage), rendered as a plain message.
const TOO_MANY = [example('Rate limited (see Retry-After)', { body: ['Too many attempts, retry later'] })];

const PAGE_ERRORS = [
  example('Bad limit', { limit: ['must be an integer from 1 to 100'] }),
  example('Bad offset', { offset: ['must be a non-negative integer'] }),
];
const ARTICLE_FIELDS = example('Invalid fields', {
  title: ['title must be longer than or equal to 1 characters'],
  body: ['body must be longer than or equal to 1 characters', 'body must be a string'],
  tagList: ['tagList must contain no more than 20 elements'],
});
const NOT_ARTICLE_AUTHOR = [example('Not the author', { article: ['can only be changed by its author'] })];

/**
 * What each operation answers besides the common errors, keyed by operationId (the controller
 * method name), with the messages the services and DTOs throw (libs/users, libs/content). 422s
 * list examples only: validation may name any request field, as `errors.<field>`.
 */
const OPERATION_ERRORS: Record<string, ExamplesByStatus> = {
  createUser: {
    422: [
      example('Email or username taken', { email: [TAKEN], username: [TAKEN] }),
      example('Invalid fields', {
        username: ['may contain only letters, digits, "_", "." and "-"'],
        email: ['is invalid'],
        password: ['password must be longer than or equal to 8 characters'],
      }),
      missingWrapper('user'),
      ...shapeErrors('user', 'email'),
    ],
    429: TOO_MANY,
  },
  login: {
    422: [
      example('Wrong credentials', { 'email or password': ['is invalid'] }),
      missingWrapper('user'),
      ...shapeErrors('user', 'email'),
    ],
    429: TOO_MANY,
  },
  updateCurrentUser: {
    422: [
      example('Username taken', { username: [TAKEN] }),
      example('Invalid image', { image: ['must be an http(s) URL'] }),
      nothingToUpdate('user'),
      ...shapeErrors('user', 'bio'),
    ],
  },
  getProfileByUsername: { 404: [notFound('profile')] },
  followUserByUsername: {
    404: [notFound('profile')],
    422: [example('Following yourself', { username: ['cannot follow yourself'] })],
  },
  unfollowUserByUsername: { 404: [notFound('profile')] },
  getArticles: { 422: [...PAGE_ERRORS, example('Tag with a NUL character', { tag: [NUL_MESSAGE] })] },
  getArticlesFeed: { 422: PAGE_ERRORS },
  getArticle: { 404: [notFound('article')] },
  createArticle: { 422: [ARTICLE_FIELDS, missingWrapper('article'), ...shapeErrors('article', 'title')] },
  updateArticle: {
    403: NOT_ARTICLE_AUTHOR,
    404: [notFound('article')],
    422: [ARTICLE_FIELDS, nothingToUpdate('article'), ...shapeErrors('article', 'title')],
  },
  deleteArticle: { 403: NOT_ARTICLE_AUTHOR, 404: [notFound('article')] },
  createArticleFavorite: { 404: [notFound('article')] },
  deleteArticleFavorite: { 404: [notFound('article')] },
  getArticleComments: { 404: [notFound('article')] },
  createArticleComment: {
    404: [notFound('article')],
    422: [
      example('Empty comment', { body: ['body must be longer than or equal to 1 characters'] }),
      missingWrapper('comment'),
      ...shapeErrors('comment', 'body'),
    ],
  },
  deleteArticleComment: {
    403: [example('Not the comment author', { comment: ['can only be deleted by its author'] })],
    404: [notFound('comment'), notFound('article')],
    422: [example('Bad comment id', { id: ['must be a positive integer'] })],
  },
};

export interface OperationShape {
  operationId?: string;
  hasInput: boolean;
  hasBody: boolean;
  /** Which auth the operation takes: its 401s differ. */
  auth: 'required' | 'optional' | 'monitoring' | 'none';
}

/** Every error status the operation can answer, with examples of the exact bodies. */
export function errorExamplesFor(operation: OperationShape): ExamplesByStatus {
  const own = OPERATION_ERRORS[operation.operationId ?? ''] ?? {};
  const all: ExamplesByStatus = { ...SERVER_ERRORS };
  if (operation.hasBody) Object.assign(all, BODY_ERRORS);
  if (operation.auth !== 'none') all[401] = UNAUTHORIZED[operation.auth];
  for (const [status, examples] of Object.entries(own)) {
    all[Number(status)] = [...(all[Number(status)] ?? []), ...examples];
  }
  if (operation.hasInput) all[422] = [...(all[422] ?? []), NUL_INPUT];
  return all;
}

/** The operations the table describes (a renamed controller method must be renamed here too). */
export const DOCUMENTED_OPERATIONS: readonly string[] = Object.keys(OPERATION_ERRORS);
