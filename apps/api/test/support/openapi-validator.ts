import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

interface OpenApiDoc {
  paths: Record<
    string,
    Record<string, { responses?: Record<string, { content?: Record<string, { schema?: object }> }> }>
  >;
  components?: object;
}

/**
 * Checks response bodies against the app's own `/docs-json`, so the documentation and the behaviour
 * cannot drift apart: a 2xx that the docs do not describe, or a body that does not match, fails.
 */
export class OpenApiResponseValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly routes: { method: string; template: string; pattern: RegExp }[] = [];
  private readonly compiled = new Map<string, ValidateFunction | null>();

  constructor(private readonly doc: OpenApiDoc) {
    addFormats(this.ajv);
    for (const [template, operations] of Object.entries(doc.paths)) {
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      for (const method of Object.keys(operations)) this.routes.push({ method, template, pattern });
    }
    // Literal segments win over parameters (`/api/articles/feed` before `/api/articles/{slug}`).
    this.routes.sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
  }

  /** Returns a list of problems; empty when the response is documented and matches. */
  check(method: string, url: string, status: number, body: unknown): string[] {
    const path = url.split('?')[0];
    const route = this.routes.find((r) => r.method === method.toLowerCase() && r.pattern.test(path));
    if (!route) return [`${method} ${path} is not in /docs-json`];
    const key = `${route.method} ${route.template} ${status}`;
    if (!this.compiled.has(key)) this.compiled.set(key, this.compile(route.method, route.template, status));
    const validate = this.compiled.get(key);
    if (validate === undefined || validate === null) {
      return status < 300 && status !== 204 ? [`${key}: status not documented`] : [];
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${key}: ${e.instancePath || '/'} ${e.message ?? ''}`);
  }

  private compile(method: string, template: string, status: number): ValidateFunction | null {
    const response = this.doc.paths[template][method].responses?.[String(status)];
    const schema = response?.content?.['application/json']?.schema;
    if (!schema) return null;
    return this.ajv.compile({ ...schema, components: this.doc.components });
  }
}
