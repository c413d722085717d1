import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { freePort } from '../scripts/lib/app-process.mjs';

/**
 * A private, throwaway redis-server (never the shared one on 6379, which other tests use): started
 * on a free port, killed, paused and restarted on that same port to simulate outages.
 */
export class RedisTestServer {
  private child: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisTestServer> {
    const server = new RedisTestServer(await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const child = spawn('redis-server', [...args, '--daemonize', 'no'], { stdio: 'ignore' });
    this.child = child;
    const started = Date.now();
    while (!(await accepts(this.port))) {
      if (child.exitCode !== null || Date.now() - started > 5000) {
        throw new Error(`redis-server did not start on port ${this.port}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Kills the server (a crash: no clean shutdown) and waits until it is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child === null || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Freezes the server: connections stay open but nothing answers (a hung Redis). */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
