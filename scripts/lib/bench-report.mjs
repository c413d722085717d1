// The bench's summary: one table of cases, the mixed case per route kind, and the targets of
// issue 9 with whether this run met them. `r` maps case numbers to autocannon figures.
import { READ_KINDS, WRITE_KINDS } from './bench-workloads.mjs';

/** The mixed load measured before the second caching edition (issue 9): 1000 connections, 15% writes. */
export const MIXED_REFERENCE_RPS = 1744;

const pad = (s, n) => String(s).padEnd(n);
const num = (n, width = 9) => String(Math.round(n)).padStart(width);

function printCases(r) {
  console.log(
    `\n${pad('case', 52)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}` +
      `${'errors'.padStart(9)}${'RSS MiB'.padStart(9)}`,
  );
  for (const row of Object.values(r)) {
    console.log(
      `${pad(row.name, 52)}${num(row.rps)}${num(row.p50)}${num(row.p99)}${num(row.errors)}${num(row.rssMiB)}`,
    );
  }
  console.log('(RSS: the peak sampled during the case, of the app; for (1) and (7), of raw Fastify)');
}

/** Core-seconds per process group in each measured run (cpu-sampler.mjs): what the cores did. */
function printCpu(r) {
  const groups = ['app', 'driver', 'postgres', 'redis', 'other', 'idle'];
  console.log(`\nCPU, core-seconds in each measured run (app: raw Fastify in (1) and (7); driver: autocannon)`);
  console.log(`${pad('case', 8)}${groups.map((g) => g.padStart(10)).join('')}${'wall s'.padStart(10)}`);
  for (const [n, row] of Object.entries(r)) {
    const cpu = row.cpuSeconds;
    console.log(
      `${pad(`(${n})`, 8)}${groups.map((g) => cpu[g].toFixed(2).padStart(10)).join('')}${cpu.wallS.toFixed(2).padStart(10)}`,
    );
  }
}

function printMixedKinds(mixed, durationS) {
  const times = mixed.rps / MIXED_REFERENCE_RPS;
  console.log(`\n${mixed.name}: ${num(mixed.rps, 0)} req/s, ${times.toFixed(1)}x the reference ${MIXED_REFERENCE_RPS}`);
  console.log(
    `  answers: ${mixed.statuses.join(', ') || 'none'}; timeouts: ${mixed.timeouts}; ` +
      `unanswered when the run stopped (not in the latencies): ${mixed.unanswered}`,
  );
  const groups = [
    ['reads', READ_KINDS],
    ...READ_KINDS.map((k) => [`  ${k}`, [k]]),
    ['writes', WRITE_KINDS],
    ...WRITE_KINDS.map((k) => [`  ${k}`, [k]]),
  ];
  const total = mixed.tally.summarize([...READ_KINDS, ...WRITE_KINDS]).count || 1;
  console.log(
    `${pad('  route kind', 26)}${'share'.padStart(8)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}` +
      `${'p99 ms'.padStart(9)}${'errors'.padStart(9)}`,
  );
  for (const [label, kinds] of groups) {
    const s = mixed.tally.summarize(kinds);
    const share = `${((100 * s.count) / total).toFixed(1)}%`;
    console.log(
      `  ${pad(label, 24)}${share.padStart(8)}${num(s.count / durationS)}${num(s.p50)}${num(s.p99)}${num(s.errors)}`,
    );
  }
}

function targets(r) {
  const ratio = (a, b) => r[a].rps / r[b].rps;
  const appRss = Object.values(r)
    .filter((row) => row.app)
    .map((row) => row.rssMiB);
  const worstRss = Math.max(...appRss);
  const p99Ratio = r[6].p99 / Math.max(r[7].p99, 1);
  return [
    ['(2)/(1) anonymous cached vs raw Fastify', ratio(2, 1), '>= 0.55', ratio(2, 1) >= 0.55],
    ['(4)/(1) signed-in cached vs raw Fastify', ratio(4, 1), '>= 0.43', ratio(4, 1) >= 0.43],
    ['(2)/(3) cached vs uncached first page', ratio(2, 3), '>= 15', ratio(2, 3) >= 15],
    ['(3)/(1) uncached vs raw Fastify', ratio(3, 1), '>= 0.03', ratio(3, 1) >= 0.03],
    ['(8)/(3) uncached deep vs first page', ratio(8, 3), '>= 0.5', ratio(8, 3) >= 0.5],
    ['(9) mixed req/s vs reference 1,744', r[9].rps / MIXED_REFERENCE_RPS, '>= 3', r[9].rps >= 3 * MIXED_REFERENCE_RPS],
    ['(9) mixed p99 (ms)', r[9].p99, '<= 500', r[9].p99 <= 500],
    ['(9) mixed errors', r[9].errors, '= 0', r[9].errors === 0],
    ['(6) errors at 1000 connections', r[6].errors, '= 0', r[6].errors === 0],
    ['(6)/(7) p99 at 1000 connections vs raw', p99Ratio, '<= 1.5', p99Ratio <= 1.5],
    ['peak RSS of the app, worst case (MiB)', worstRss, '<= 300', worstRss <= 300],
  ];
}

/** Prints everything; `memory` holds RSS figures in MiB beyond the per-case peaks, by label. */
export function report(r, { mixedTally, durationS, memory }) {
  printCases(r);
  printCpu(r);
  printMixedKinds({ ...r[9], tally: mixedTally }, durationS);
  const figures = Object.entries(memory).map(([label, mib]) => `${label} ${mib.toFixed(0)} MiB`);
  console.log(`\napp memory (VmHWM includes start-up and sign-ins): ${figures.join(', ')}`);

  const checks = targets(r);
  console.log(`\n${pad('ratio / target', 44)}${'value'.padStart(10)}  target   met`);
  for (const [name, value, target, met] of checks) {
    console.log(
      `${pad(name, 44)}${value.toFixed(value < 10 ? 3 : 1).padStart(10)}  ${pad(target, 8)} ${met ? 'yes' : 'NO'}`,
    );
  }
  const missed = checks.filter((c) => !c[3]).length;
  console.log(`\nbench: ${checks.length - missed} of ${checks.length} targets met`);
}
