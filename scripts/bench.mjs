// `npm run bench`: what the cache buys, measured in one run on this machine (ratios, not absolutes).
// Seeds the bench database, then drives each case with autocannon and prints a table and the ratios.
import autocannon from 'autocannon';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appEnv } from './lib/app-env.mjs';
import { freePort, startApp, waitForHttp } from './lib/app-process.mjs';
import { prepareServicesOrExit } from './prepare-services.mjs';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 8);
const CONNECTIONS = 50;
const env = appEnv('prepnexus_bench');

const log = (line) => console.log(`bench: ${line}`);

function seed() {
  log('migrating and seeding prepnexus_bench (idempotent) ...');
  execFileSync(process.execPath, ['dist/migrations/seed/run-seed.js'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/** Peak resident set size of a process so far (Linux VmHWM), in MiB. */
function peakRssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function load(name, url, { headers = {}, connections = CONNECTIONS } = {}) {
  // Warm up (JIT, caches, pools) before measuring.
  await autocannon({ url, headers, connections: Math.min(connections, 50), duration: 2 });
  log(`${name}: ${connections} connections for ${DURATION_S} s ...`);
  const r = await autocannon({ url, headers, connections, duration: DURATION_S });
  return {
    name,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts + r.non2xx,
  };
}

async function login(baseUrl) {
  const res = await fetch(`${baseUrl}/api/users/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: { email: 'seeduser1@example.com', password: 'password123' } }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status}`);
  return (await res.json()).user.token;
}

async function main() {
  await prepareServicesOrExit(env);
  seed();
  const results = [];
  let peakRss = 0;

  const cached = await startApp(env);
  const bodyFile = join(tmpdir(), `prepnexus-bench-${process.pid}.json`);
  let slug;
  try {
    const listRes = await fetch(`${cached.baseUrl}/api/articles`);
    const body = Buffer.from(await listRes.arrayBuffer());
    writeFileSync(bodyFile, body);
    slug = JSON.parse(body.toString()).articles[0].slug;
    const token = await login(cached.baseUrl);

    const rawPort = await freePort();
    const raw = spawn(process.execPath, ['scripts/lib/raw-fastify.mjs', String(rawPort), bodyFile], {
      stdio: 'inherit',
    });
    try {
      await waitForHttp(`http://127.0.0.1:${rawPort}/api/articles`, 10_000, raw);
      results[1] = await load('(1) raw Fastify, same bytes', `http://127.0.0.1:${rawPort}/api/articles`);
    } finally {
      raw.kill('SIGTERM');
    }
    results[2] = await load('(2) GET /api/articles anonymous, cached', `${cached.baseUrl}/api/articles`);
    results[4] = await load('(4) GET /api/articles authenticated, cached', `${cached.baseUrl}/api/articles`, {
      headers: { Authorization: `Token ${token}` },
    });
    results[5] = await load('(5) GET /api/articles/:slug anonymous, cached', `${cached.baseUrl}/api/articles/${slug}`);
    results[6] = await load('(6) = (2) at 1000 connections', `${cached.baseUrl}/api/articles`, { connections: 1000 });
    peakRss = Math.max(peakRss, peakRssMiB(cached.child.pid));
  } finally {
    await cached.stop();
  }

  const uncached = await startApp({ ...env, CACHE_ENABLED: 'false' });
  try {
    results[3] = await load('(3) GET /api/articles anonymous, caching off', `${uncached.baseUrl}/api/articles`);
    peakRss = Math.max(peakRss, peakRssMiB(uncached.child.pid));
  } finally {
    await uncached.stop();
  }

  report(results.filter(Boolean), results, peakRss);
}

function report(rows, r, peakRss) {
  const pad = (s, n) => String(s).padEnd(n);
  const num = (n) => String(Math.round(n)).padStart(9);
  console.log(
    `\n${pad('case', 48)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'errors'.padStart(9)}`,
  );
  for (const row of rows) {
    console.log(`${pad(row.name, 48)}${num(row.rps)}${num(row.p50)}${num(row.p99)}${num(row.errors)}`);
  }
  console.log(`\napp peak RSS: ${peakRss.toFixed(0)} MiB`);
  const ratio = (a, b) => r[a].rps / r[b].rps;
  const checks = [
    ['(2)/(1) cached vs ceiling', ratio(2, 1), '>= 0.5', ratio(2, 1) >= 0.5],
    ['(2)/(3) cached vs uncached', ratio(2, 3), '>= 15', ratio(2, 3) >= 15],
    ['(4)/(1) authenticated cached vs ceiling', ratio(4, 1), '>= 0.25', ratio(4, 1) >= 0.25],
    ['(3)/(1) uncached vs ceiling', ratio(3, 1), '>= 0.03', ratio(3, 1) >= 0.03],
    ['(6) errors at 1000 connections', r[6].errors, '= 0', r[6].errors === 0],
    ['(6) p99 at 1000 connections (ms)', r[6].p99, '<= 250', r[6].p99 <= 250],
    ['peak RSS (MiB)', peakRss, '<= 300', peakRss <= 300],
  ];
  console.log(`\n${pad('ratio / target', 44)}${'value'.padStart(10)}  target   met`);
  for (const [name, value, target, met] of checks) {
    console.log(
      `${pad(name, 44)}${value.toFixed(value < 10 ? 3 : 1).padStart(10)}  ${pad(target, 8)} ${met ? 'yes' : 'NO'}`,
    );
  }
  const missed = checks.filter((c) => !c[3]).length;
  console.log(`\nbench: ${checks.length - missed} of ${checks.length} targets met`);
}

main().catch((err) => {
  console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
