// `npm run bench`: what the cache buys, measured in one run on this machine (ratios, not absolutes).
// Seeds the bench database, then drives each case with autocannon and prints a table, the mixed
// case per route kind, and the targets of issue 9.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { appEnv } from './lib/app-env.mjs';
import { sampleCpu } from './lib/cpu-sampler.mjs';
import { freePort, startApp, waitForHttp } from './lib/app-process.mjs';
import { discoverContent, loginSeedUsers, seedForLoad } from './lib/bench-fixtures.mjs';
import { report } from './lib/bench-report.mjs';
import { deepPagesWorkload, mixedWorkload } from './lib/bench-workloads.mjs';
import { KindTally, perConnection } from './lib/per-connection.mjs';
import { peakRssMiB, rssMiB, sampleRss } from './lib/rss-sampler.mjs';
import { prepareServicesOrExit } from './prepare-services.mjs';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 8);
const WARM_UP_S = 2;
const CONNECTIONS = 50;
const MANY_CONNECTIONS = 1000;
const SIGNED_IN_USERS = 100;
const SETTLE_MS = 3000;
// The mixed case signs in 100 users from one address: above the default per-IP limit on logins.
const env = { ...appEnv('prepnexus_bench'), AUTH_RATE_LIMIT_PER_MIN: '1000' };

const log = (line) => console.log(`bench: ${line}`);

/**
 * One case: a warm-up (JIT, caches, pools), then the measured run, sampling the RSS of `pid`.
 * `workload` (bench-workloads.mjs) varies each request; `tally` then records it per kind.
 */
async function load(name, url, { pid, headers = {}, connections = CONNECTIONS, workload, tally, app = true }) {
  const varied = (t) => (workload ? perConnection(workload, t) : {});
  await autocannon({ url, headers, connections: Math.min(connections, 50), duration: WARM_UP_S, ...varied() });
  log(`${name}: ${connections} connections for ${DURATION_S} s ...`);
  const rss = sampleRss(pid);
  const cpu = sampleCpu(pid);
  const r = await autocannon({ url, headers, connections, duration: DURATION_S, ...varied(tally) });
  const peakMiB = rss.stop();
  const cpuSeconds = cpu.stop();
  return {
    name,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx, // autocannon counts timeouts among its errors
    rssMiB: peakMiB,
    cpuSeconds,
    app,
    statuses: Object.entries(r.statusCodeStats).map(([status, { count }]) => `${count} x ${status}`),
    timeouts: r.timeouts,
    // Sent but neither answered nor timed out when the run stopped: absent from the latencies.
    unanswered: Math.max(0, r.requests.sent - r.requests.total - r.timeouts),
  };
}

/** Raw Fastify serving `bodyFile` on its own port, for (1) and (7); `stop()` ends it. */
async function startRawFastify(bodyFile) {
  const port = await freePort();
  const raw = spawn(process.execPath, ['scripts/lib/raw-fastify.mjs', String(port), bodyFile], { stdio: 'inherit' });
  const url = `http://127.0.0.1:${port}/api/articles`;
  await waitForHttp(url, 10_000, raw);
  return { url, pid: raw.pid, stop: () => raw.kill('SIGTERM') };
}

/** Two runs of (1) averaged: one before the app's cached cases and one after, so drift on this noisy machine is shared. */
function averaged(first, second) {
  const rps = (first.rps + second.rps) / 2;
  const mean = (a, b) => Object.fromEntries(Object.keys(a).map((k) => [k, (a[k] + b[k]) / 2]));
  return {
    ...first,
    rps,
    cpuSeconds: mean(first.cpuSeconds, second.cpuSeconds),
    p99: Math.max(first.p99, second.p99),
    errors: first.errors + second.errors,
  };
}

async function cachedCases(r, mixedTally, memory) {
  const app = await startApp(env);
  const { baseUrl } = app;
  const pid = app.child.pid;
  try {
    const bodyFile = join(tmpdir(), `prepnexus-bench-${process.pid}.json`);
    writeFileSync(bodyFile, Buffer.from(await (await fetch(`${baseUrl}/api/articles`)).arrayBuffer()));
    const content = await discoverContent(baseUrl);
    log(`signing in ${SIGNED_IN_USERS} seeded users ...`);
    const tokens = await loginSeedUsers(baseUrl, SIGNED_IN_USERS);
    const signedIn = { Authorization: `Token ${tokens[0]}` };
    const list = `${baseUrl}/api/articles`;

    const raw = await startRawFastify(bodyFile);
    try {
      const rawCase = { pid: raw.pid, app: false };
      const firstRaw = await load('(1) raw Fastify, same bytes as (2)', raw.url, rawCase);
      r[7] = await load('(7) = (1) at 1000 connections', raw.url, { ...rawCase, connections: MANY_CONNECTIONS });
      r[2] = await load('(2) GET /api/articles anonymous, cached', list, { pid });
      r[4] = await load('(4) GET /api/articles signed in, cached', list, { pid, headers: signedIn });
      r[5] = await load('(5) GET /api/articles/:slug anonymous, cached', `${list}/${content.slugs[0]}`, { pid });
      r[1] = averaged(firstRaw, await load('(1) again, after (2), (4) and (5)', raw.url, rawCase));
    } finally {
      raw.stop();
      rmSync(bodyFile);
    }
    r[6] = await load('(6) = (2) at 1000 connections', list, { pid, connections: MANY_CONNECTIONS });
    // Last on this app: its writes change what the cases above read.
    r[9] = await load('(9) mixed: 100 users, 15% writes, 1000 conn.', baseUrl, {
      pid,
      connections: MANY_CONNECTIONS,
      workload: mixedWorkload(content, tokens),
      tally: mixedTally,
    });
    // autocannon drops its connections with requests still queued in the app; let them finish
    // before SIGTERM (they would fail once the pool closes) and see whether the memory comes back.
    await sleep(SETTLE_MS);
    memory[`cached app ${SETTLE_MS / 1000} s after (9)`] = rssMiB(pid);
    memory['cached app peak (VmHWM)'] = peakRssMiB(pid);
  } finally {
    await app.stop();
  }
}

async function uncachedCases(r, memory) {
  const app = await startApp({ ...env, CACHE_ENABLED: 'false' });
  const pid = app.child.pid;
  try {
    const list = `${app.baseUrl}/api/articles`;
    const { articlesCount } = await discoverContent(app.baseUrl, 1);
    r[3] = await load('(3) GET /api/articles anonymous, caching off', list, { pid });
    r[8] = await load(`(8) = (3) at random offsets 0..${articlesCount - 20}`, app.baseUrl, {
      pid,
      workload: deepPagesWorkload(articlesCount),
    });
    memory['caching off peak (VmHWM)'] = peakRssMiB(pid);
  } finally {
    await app.stop();
  }
}

async function main() {
  const started = Date.now();
  await prepareServicesOrExit(env);
  await seedForLoad(env, log);
  const r = {};
  const mixedTally = new KindTally();
  const memory = {};
  await cachedCases(r, mixedTally, memory);
  await uncachedCases(r, memory);
  report(r, { mixedTally, durationS: DURATION_S, memory });
  log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
}

main().catch((err) => {
  console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
