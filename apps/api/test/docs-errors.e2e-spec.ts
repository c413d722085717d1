import Ajv from 'ajv';
import request from 'supertest';
import { DOCUMENTED_OPERATIONS } from '../src/http/error-examples';
import { TestApp } from './support/test-app';

interface Response {
  content?: { 'application/json'?: { schema?: { $ref?: string }; examples?: Record<string, { value: unknown }> } };
}
interface Doc {
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, Response> }>>;
  components: { schemas: Record<string, object> };
}

const ENVELOPE_REF = '#/components/schemas/ErrorEnvelope';

/** The error half of /docs-json: one envelope schema, and examples on every error it documents. */
describe('/docs-json error responses', () => {
  let app: TestApp;
  let doc: Doc;
  const errorResponses = () =>
    Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.entries(operations).flatMap(([method, operation]) =>
        Object.entries(operation.responses)
          .filter(([status]) => Number(status) >= 400)
          .map(([status, response]) => ({ at: `${method} ${path} ${status}`, response })),
      ),
    );

  beforeAll(async () => {
    app = await TestApp.start();
    doc = (await request(app.server).get('/docs-json')).body as Doc;
  });
  afterAll(async () => {
    await app.close();
  });

  it('should have one error schema, ErrorEnvelope, used by every envelope error', () => {
    const names = Object.keys(doc.components.schemas).filter((name) => /error/i.test(name));
    expect(names).toEqual(['ErrorEnvelope']);
    const inline = errorResponses().filter(({ response }) => {
      const schema = response.content?.['application/json']?.schema;
      return schema !== undefined && schema.$ref === undefined && JSON.stringify(schema).includes('"errors"');
    });
    expect(inline.map(({ at }) => at)).toEqual([]);
  });

  it('should give every envelope error response examples that are envelopes', () => {
    const validate = new Ajv({ strict: false }).compile({
      $ref: ENVELOPE_REF,
      components: doc.components,
    });
    const problems = errorResponses()
      .filter(({ response }) => response.content?.['application/json']?.schema?.$ref === ENVELOPE_REF)
      .flatMap(({ at, response }) => {
        const examples = Object.values(response.content?.['application/json']?.examples ?? {});
        if (examples.length === 0) return [`${at}: no example`];
        return examples.filter((e) => !validate(e.value)).map(() => `${at}: an example is not an envelope`);
      });
    expect(problems).toEqual([]);
  });

  it('should know every operation the example table names (a renamed method is renamed there too)', () => {
    const ids = Object.values(doc.paths).flatMap((operations) => Object.values(operations).map((o) => o.operationId));
    expect(DOCUMENTED_OPERATIONS.filter((id) => !ids.includes(id))).toEqual([]);
  });

  it('should document the real 401 and 429 bodies of login', () => {
    const login = doc.paths['/api/users/login'].post.responses;
    const get = doc.paths['/api/user'].get.responses;
    expect(login['429'].content?.['application/json']?.examples).toEqual({
      'Rate limited (see Retry-After)': { value: { errors: { body: ['Too many attempts, retry later'] } } },
    });
    expect(get['401'].content?.['application/json']?.examples?.['No token']).toEqual({
      value: { errors: { authorization: ['is required'] } },
    });
  });
});
