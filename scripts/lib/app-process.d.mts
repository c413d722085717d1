import type { ChildProcess } from 'node:child_process';

export function freePort(): Promise<number>;

/** True when something accepts TCP connections on host:port within `timeoutMs` (default 2000). */
export function reachable(host: string, port: number, timeoutMs?: number): Promise<boolean>;

/** Resolves once something listens on 127.0.0.1:`port`; rejects after `timeoutMs` (default 5000). */
export function waitForPort(port: number, timeoutMs?: number): Promise<void>;

export function waitForHttp(url: string, timeoutMs: number, child?: ChildProcess): Promise<void>;

export interface StartOptions {
  /** Polled until it answers 200. Default `/api/tags`. */
  readyPath?: string;
  timeoutMs?: number;
  /** quiet (default): stdout dropped, stderr shown; inherit: both shown; capture: both kept for `output()`. */
  output?: 'quiet' | 'inherit' | 'capture';
}

export interface RunningApp {
  baseUrl: string;
  child: ChildProcess;
  /** What the app wrote, when started with `output: 'capture'`. */
  output(): string;
  /** SIGTERM; the exit code (0 after a clean shutdown), or the signal that ended it. */
  stop(): Promise<number | NodeJS.Signals>;
}

export function startApp(env: Record<string, string>, options?: StartOptions): Promise<RunningApp>;
