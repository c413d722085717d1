// `npm run test:conformance`: the public RealWorld Postman collection, run with newman against the
// built app on a free port and a freshly migrated database. Exits non-zero on any failed assertion.
import newman from 'newman';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { appEnv } from './lib/app-env.mjs';
import { startApp } from './lib/app-process.mjs';
import { freshDatabase } from './lib/fresh-database.mjs';
import { prepareServicesOrExit } from './prepare-services.mjs';

// shared/ lies beside the clone (CI); a checkout elsewhere (a git worktree) names the file.
const collection = resolve(process.env.CONDUIT_COLLECTION ?? '../shared/realworld/Conduit.postman_collection.json');
if (!existsSync(collection)) {
  console.error(`conformance: no RealWorld collection at ${collection}; set CONDUIT_COLLECTION to its path`);
  process.exit(1);
}
const env = appEnv('prepnexus_conformance');

await prepareServicesOrExit(env);
console.log('conformance: fresh database', env.DB_NAME);
await freshDatabase(env);
const app = await startApp(env);
console.log(`conformance: app at ${app.baseUrl}`);

const username = `conduit${Date.now().toString(36)}`;
let failed = 1;
try {
  const summary = await new Promise((done, fail) =>
    newman.run(
      {
        collection,
        reporters: ['cli'],
        delayRequest: 1,
        envVar: [
          { key: 'APIURL', value: `${app.baseUrl}/api` },
          { key: 'USERNAME', value: username },
          { key: 'EMAIL', value: `${username}@example.com` },
          { key: 'PASSWORD', value: 'conformance-password' },
        ],
      },
      (err, result) => (err ? fail(err) : done(result)),
    ),
  );
  const { assertions, requests } = summary.run.stats;
  failed = assertions.failed + requests.failed + summary.run.failures.length;
  console.log(
    `conformance: ${requests.total} requests, ${assertions.total - assertions.failed} of ${assertions.total} assertions passed`,
  );
} finally {
  console.log(`conformance: app stopped (${await app.stop()})`);
}
process.exit(failed === 0 ? 0 : 1);
