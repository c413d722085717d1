// Starts the built app as a child process and stops it: the one starter shared by the scripts
// (conformance, bench) and the Jest suites (app-process.d.mts gives TypeScript its types).
import { spawn } from 'node:child_process';
import { createConnection, createServer } from 'node:net';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** True when something accepts TCP connections on host:port within `timeoutMs`. */
export function reachable(host, port, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port, timeout: timeoutMs });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/** Resolves once something listens on 127.0.0.1:`port`; rejects after `timeoutMs`. */
export async function waitForPort(port, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await reachable('127.0.0.1', port, 500))) {
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function waitForHttp(url, timeoutMs, child) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`app exited early (${child.exitCode ?? child.signalCode})`);
    }
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

// quiet: stdout dropped, stderr shown (a bench must not pay for piping the app's logs through
// itself); inherit: both shown; capture: both kept for output(), for tests to assert on and print.
const STDIO = { quiet: ['ignore', 'ignore', 'inherit'], inherit: 'inherit', capture: ['ignore', 'pipe', 'pipe'] };

/** Starts dist/apps/api/src/main.js with `env` over this process's; resolves once `readyPath` answers 200. */
export async function startApp(env, { readyPath = '/api/tags', timeoutMs = 60_000, output = 'quiet' } = {}) {
  const port = env.PORT ?? String(await freePort());
  // Relative to the repository root, where npm scripts and Jest run.
  const child = spawn(process.execPath, ['dist/apps/api/src/main.js'], {
    env: { ...process.env, ...env, PORT: port },
    stdio: STDIO[output],
  });
  let captured = '';
  child.stdout?.on('data', (chunk) => (captured += chunk.toString()));
  child.stderr?.on('data', (chunk) => (captured += chunk.toString()));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const app = {
    baseUrl: `http://127.0.0.1:${port}`,
    child,
    output: () => captured,
    /** SIGTERM; resolves with how it ended: the exit code (0 after a clean shutdown), or the signal that killed it. */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const how = await exited;
      clearTimeout(timer);
      return how;
    },
  };
  try {
    await waitForHttp(`${app.baseUrl}${readyPath}`, timeoutMs, child);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${err.message}${captured ? `\n${captured}` : ''}`, { cause: err });
  }
  return app;
}
