// pg_dump and pg_restore as child processes: libpq settings in their environment, verbose output
// turned into progress lines, the last messages kept for the error report.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Runs `command` and answers `{ code, lines }`; each stderr line goes to `onLine` as it arrives. */
export function run(command, args, env, onLine = () => {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const lines = [];
    createInterface({ input: child.stderr }).on('line', (line) => {
      lines.push(line);
      onLine(line);
    });
    child.once('error', (err) =>
      reject(
        new Error(err.code === 'ENOENT' ? `${command} not found on PATH (install the PostgreSQL client)` : err.message),
      ),
    );
    child.once('close', (code, signal) => resolve({ code: code ?? signal, lines }));
  });
}

export async function toolVersion(command) {
  return new Promise((resolve) => {
    const child = spawn(command, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.once('error', () => resolve(null));
    child.once('close', () => resolve(out.trim() || null));
  });
}

/** The table name in pg_dump/pg_restore --verbose's line for a table's data, or null. */
export function tableOfDataLine(line) {
  return /(?:dumping contents of table|processing data for table) "([^"]+)"/.exec(line)?.[1] ?? null;
}

/** The lines worth showing when a tool fails: its errors, else its last words. */
export function failureLines(lines, max = 3) {
  const errors = lines.filter((l) => /error|FATAL|could not/i.test(l));
  return (errors.length > 0 ? errors : lines).slice(-max);
}
