// Resident memory of a process, from /proc (Linux): sampled during one case for that case's peak,
// and the kernel's own high-water mark for the whole life of the process.
import { readFileSync } from 'node:fs';
import { clearInterval, setInterval } from 'node:timers';

function statusKiB(pid, field) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
}

/** Peak resident set size of the process so far (VmHWM), in MiB. */
export const peakRssMiB = (pid) => statusKiB(pid, 'VmHWM') / 1024;

/** Resident set size now (VmRSS), in MiB. */
export const rssMiB = (pid) => statusKiB(pid, 'VmRSS') / 1024;

/**
 * Samples the process's RSS every `everyMs` until stop(), which returns the largest sample in MiB.
 * A spike shorter than the interval can be missed; VmHWM (peakRssMiB) cannot miss one.
 */
export function sampleRss(pid, everyMs = 100) {
  let peakKiB = 0;
  const sample = () => {
    try {
      peakKiB = Math.max(peakKiB, statusKiB(pid, 'VmRSS'));
    } catch {
      // the process has exited: keep what was seen
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peakKiB / 1024;
    },
  };
}
