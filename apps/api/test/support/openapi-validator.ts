import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { isDeepStrictEqual } from 'node:util';

interface SchemaObject {
  $ref?: string;
  properties?: Record<string, SchemaObject>;
  items?: SchemaObject;
  allOf?: SchemaObject[];
}
interface MediaType {
  schema?: SchemaObject;
  examples?: Record<string, { value?: { errors?: Record<string, string[]> } }>;
}
interface Operation {
  parameters?: { name: string }[];
  requestBody?: { content?: Record<string, MediaType> };
  responses?: Record<string, { content?: Record<string, MediaType> }>;
}
interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, SchemaObject> };
}

type Route = { method: string; template: string; pattern: RegExp };

/**
 * Checks response bodies against the app's own `/docs-json`, so the documentation and the behaviour
 * cannot drift apart: a 2xx that the docs do not describe, or a body that does not match, fails; an
 * error must be documented for its operation and match one of its examples (error-examples.ts).
 */
export class OpenApiResponseValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly routes: Route[] = [];
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
      return status < 300 && status !== 204 ? [`${key}: status not documented`] : this.checkError(route, status, body);
    }
    if (!validate(body))
      return (validate.errors ?? []).map((e) => `${key}: ${e.instancePath || '/'} ${e.message ?? ''}`);
    return this.checkError(route, status, body);
  }

  /**
   * An error must be one the operation documents, in the shape and words of one of its examples:
   * the same field keys and messages. A 422 may name any request field (validation is per field),
   * and a 5xx message may carry a request id, so those compare keys only.
   */
  private checkError(route: Route, status: number, body: unknown): string[] {
    if (status < 400) return [];
    const key = `${route.method} ${route.template} ${status}`;
    const operation = this.doc.paths[route.template][route.method];
    const media = operation.responses?.[String(status)]?.content?.['application/json'];
    if (!media) return [`${key}: error status not documented`];
    if (!media.examples) return []; // a body of its own (Terminus' health report): the schema was checked
    const documented = Object.values(media.examples).map((e) => e.value?.errors ?? {});
    const errors = (body as { errors?: Record<string, string[]> } | null)?.errors;
    if (typeof errors !== 'object' || errors === null) return [`${key}: not the error envelope`];
    const keys = Object.keys(errors).sort();
    const matches =
      status === 422
        ? keys.every((k) => documented.some((d) => k in d) || this.requestFields(operation).has(k))
        : documented.some((d) =>
            status >= 500 ? isDeepStrictEqual(Object.keys(d).sort(), keys) : isDeepStrictEqual(d, errors),
          );
    if (matches) return [];
    return [`${key}: ${JSON.stringify(body)} matches none of the documented examples ${JSON.stringify(documented)}`];
  }

  /** Names a validation error may be keyed by: parameters and request body properties at any depth. */
  private requestFields(operation: Operation): Set<string> {
    const names = new Set((operation.parameters ?? []).map((p) => p.name));
    const visit = (schema: SchemaObject | undefined, seen: Set<string>): void => {
      if (!schema) return;
      if (schema.$ref) {
        if (seen.has(schema.$ref)) return;
        seen.add(schema.$ref);
        return visit(this.doc.components?.schemas?.[schema.$ref.split('/').pop() ?? ''], seen);
      }
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        names.add(name);
        visit(property, seen);
      }
      visit(schema.items, seen);
      for (const part of schema.allOf ?? []) visit(part, seen);
    };
    visit(operation.requestBody?.content?.['application/json']?.schema, new Set());
    return names;
  }

  private compile(method: string, template: string, status: number): ValidateFunction | null {
    const response = this.doc.paths[template][method].responses?.[String(status)];
    const schema = response?.content?.['application/json']?.schema;
    if (!schema) return null;
    return this.ajv.compile({ ...schema, components: this.doc.components });
  }
}
