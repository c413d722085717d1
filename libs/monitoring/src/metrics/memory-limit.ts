import { readFileSync } from 'node:fs';

// cgroup v1 writes "no limit" as the largest page-aligned signed 64-bit number; anything this big is none.
const UNLIMITED_V1 = 2 ** 60;

/** The files that hold this container's memory limit: cgroup v2 first, then v1. */
export const CGROUP_MEMORY_LIMIT_FILES = ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes'];

/**
 * The container's memory limit in bytes, or Infinity when there is none (or no cgroup to ask).
 * The "memory near the limit" alert divides the resident set by this: Infinity makes it 0, never firing.
 */
export function readMemoryLimitBytes(files: readonly string[] = CGROUP_MEMORY_LIMIT_FILES): number {
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8').trim();
    } catch {
      continue;
    }
    if (text === 'max') return Infinity;
    const bytes = Number(text);
    if (Number.isFinite(bytes) && bytes > 0) return bytes >= UNLIMITED_V1 ? Infinity : bytes;
  }
  return Infinity;
}
