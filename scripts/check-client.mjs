// `npm run check:client`: proof that /docs-json serves frontend teams. Runs the built app (the Swagger
// CLI plugin only runs under `nest build`, so only the built app serves the full document), fetches the
// document, generates a TypeScript client from it with openapi-typescript, and type-checks a small usage
// file (clients/typescript/usage.ts) against that client. Exits non-zero when any step fails.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { appEnv } from './lib/app-env.mjs';
import { startApp } from './lib/app-process.mjs';

// Gitignored, and outside what prettier and eslint check (clients/typescript/tsconfig.json maps it).
const GENERATED = 'node_modules/.cache/prepnexus-client/conduit-api.ts';

// The document needs no data: any reachable database will do (the test database by default).
const app = await startApp(appEnv(process.env.DB_NAME ?? 'prepnexus_test'), { readyPath: '/health/live' });
let document;
try {
  const res = await fetch(`${app.baseUrl}/docs-json`);
  if (!res.ok) throw new Error(`/docs-json answered ${res.status}`);
  document = await res.json();
} finally {
  await app.stop();
}

const client = astToString(await openapiTS(document));
mkdirSync(dirname(GENERATED), { recursive: true });
writeFileSync(GENERATED, client);
const operations = Object.values(document.paths).reduce((n, item) => n + Object.keys(item).length, 0);
console.log(`check:client: ${operations} operations -> ${GENERATED} (${client.split('\n').length} lines)`);

try {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'clients/typescript/tsconfig.json'], {
    stdio: 'inherit',
  });
} catch {
  console.error('check:client: the usage file does not compile against the generated client (see above)');
  process.exit(1);
}
console.log('check:client: clients/typescript/usage.ts compiles against the generated client');
