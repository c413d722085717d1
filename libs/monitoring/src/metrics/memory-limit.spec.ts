import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMemoryLimitBytes } from './memory-limit';

describe(readMemoryLimitBytes.name, () => {
  let dir: string;
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'memory-limit-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('should read a cgroup v2 limit', () => {
    expect(readMemoryLimitBytes([file('memory.max', '536870912\n')])).toBe(536_870_912);
  });

  it('should answer Infinity for cgroup v2 "max"', () => {
    expect(readMemoryLimitBytes([file('memory.max', 'max\n')])).toBe(Infinity);
  });

  it('should fall back to cgroup v1, where a huge number means no limit', () => {
    const missing = join(dir, 'absent');

    expect(readMemoryLimitBytes([missing, file('v1', '805306368')])).toBe(805_306_368);
    expect(readMemoryLimitBytes([missing, file('v1-none', '9223372036854771712')])).toBe(Infinity);
  });

  it('should answer Infinity when no file can be read', () => {
    expect(readMemoryLimitBytes([join(dir, 'absent')])).toBe(Infinity);
  });
});
