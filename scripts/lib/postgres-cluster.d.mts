export interface Cluster {
  readonly port: number;
  readonly dir: string;
  start(): Promise<void>;
  /** Fast shutdown: sessions are cut. */
  stop(): Promise<void>;
  /** Stops it if it runs and removes its files. */
  destroy(): Promise<void>;
}

export interface StreamingPair {
  primary: Cluster;
  replica: Cluster;
  destroy(): Promise<void>;
}

export interface PgBouncer {
  port: number;
  stop(): Promise<void>;
}

export function postgresBin(): string;
export function createPrimary(): Promise<Cluster>;
export function createReplica(primary: Cluster): Promise<Cluster>;
export function createStreamingPair(): Promise<StreamingPair>;
export function startPgBouncer(target: { port: number }, options?: { poolSize?: number }): Promise<PgBouncer>;
