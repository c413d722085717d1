import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from '../../../../test-support/free-port';

export interface RunningApp {
  baseUrl: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM, then how it ended: Nest re-raises SIGTERM after a clean shutdown, so `signal` is `SIGTERM`. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const MAIN = resolve(__dirname, '../../../../dist/apps/api/src/main.js');

/** Starts the BUILT app (npm test builds first) with `env` on top of this process's environment. */
export async function startApp(env: Record<string, string>, timeoutMs = 60_000): Promise<RunningApp> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const result = await ended;
    clearTimeout(timer);
    return result;
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`app exited early:\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`app did not answer within ${timeoutMs} ms:\n${output}`);
    }
    const ok = await fetch(`${baseUrl}/api/tags`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return { baseUrl, child, output: () => output, stop };
}
