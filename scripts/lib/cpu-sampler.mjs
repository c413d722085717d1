// Where the machine's cores went during one case, from /proc (Linux): CPU time of the app, the
// driver (this process: autocannon runs in it), PostgreSQL, Redis and everything else, and the idle
// time left. On a small machine the app shares its cores with all of them, so a case's req/s is
// only as meaningful as this split says.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

// Clock ticks per second of utime/stime in /proc/<pid>/stat and of /proc/stat (USER_HZ).
const TICKS_PER_S = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

const GROUP_BY_COMMAND = { postgres: 'postgres', 'redis-server': 'redis' };

/** CPU seconds each live process has used since it started, with its group. */
function processSeconds(appPid) {
  const byPid = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // The command sits in parentheses and may itself hold spaces or parentheses.
    const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(name);
    const group = pid === appPid ? 'app' : pid === process.pid ? 'driver' : (GROUP_BY_COMMAND[command] ?? 'other');
    byPid.set(pid, { group, seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S }); // utime + stime
  }
  return byPid;
}

/** Idle seconds of all cores together since boot (idle + iowait in /proc/stat). */
function idleSeconds() {
  const [, , , , idle, iowait] = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/);
  return (Number(idle) + Number(iowait)) / TICKS_PER_S;
}

/**
 * Starts counting; `stop()` returns core-seconds per group over the interval, with `idle` and the
 * wall time. A process that exits within the interval (a closed PostgreSQL backend) is left out.
 */
export function sampleCpu(appPid) {
  const before = processSeconds(appPid);
  const idleBefore = idleSeconds();
  const started = performance.now();
  return {
    stop() {
      const used = { app: 0, driver: 0, postgres: 0, redis: 0, other: 0 };
      for (const [pid, { group, seconds }] of processSeconds(appPid)) {
        used[group] += seconds - (before.get(pid)?.seconds ?? 0);
      }
      return { ...used, idle: idleSeconds() - idleBefore, wallS: (performance.now() - started) / 1000 };
    },
  };
}
