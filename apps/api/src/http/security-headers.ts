import helmet, { type HelmetOptions } from 'helmet';
import type { ServerResponse } from 'node:http';

/**
 * Helmet's headers, computed once. They do not depend on the request, and `@fastify/helmet` re-derives
 * them (CSP parsing included) on every request: a tenth of the CPU of a cached read here.
 */
function staticSecurityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const collector = {
    setHeader: (name: string, value: string | number) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  } as unknown as ServerResponse;
  helmet(options)({} as never, collector, () => undefined);
  return headers;
}

// Headers for browsers and plugins long gone (IE8 downloads, Flash/Acrobat policies, the XSS
// auditor) or for HTML documents a JSON API never serves: each one is bytes on every response.
const obsolete = {
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
  xDnsPrefetchControl: false,
  originAgentCluster: false,
} as const;

/** Every API response, errors included: JSON is never a document to render or frame (OWASP REST guidance). */
export const API_SECURITY_HEADERS = staticSecurityHeaders({
  ...obsolete,
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  xFrameOptions: { action: 'deny' },
});

/**
 * Swagger UI (/docs): its scripts are files (swagger-ui-init.js included), so no inline script runs;
 * its page and its bundle write inline styles. swagger-ui.e2e-spec.ts drives it in Chromium under this.
 */
export const DOCS_SECURITY_HEADERS = staticSecurityHeaders({
  ...obsolete,
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      scriptSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      // Helmet's default would fetch the page's own files over https when /docs is served over plain
      // http by a name that is not loopback (a compose host, a cluster service): a blank page. It adds
      // nothing over https, where the page's same-origin URLs are https already.
      upgradeInsecureRequests: null,
    },
  },
});
