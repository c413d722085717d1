import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { INVALIDATION_CHANNEL } from './cache-keys';
import { REDIS_CONNECT_TIMEOUT_MS, RedisConnection } from './redis-connection';
import { withTimeout } from './with-timeout';

/** What one instance tells the others after a write. */
export interface InvalidationMessage {
  /** Keys to drop from L1. */
  keys?: string[];
  /** Namespaces whose version changed, with the new version. */
  versions?: Record<string, number>;
  /** Everything was cleared (`CacheService.clear`): drop all of L1. */
  reset?: true;
}

interface WireMessage extends InvalidationMessage {
  origin: string;
}

/**
 * The receiving side of cross-instance invalidation: a dedicated subscriber connection (a Redis
 * connection in subscribe mode can send nothing else). Messages are published through the guarded
 * L2 client (`RedisCacheStore.publish`) with `encode`.
 *
 * `ready` is true only while subscribed: an instance that is not subscribed misses invalidations,
 * so the cache turns its in-process tier off meanwhile, and clears it when the subscription is back.
 */
@Injectable()
export class CacheInvalidationBus implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RedisCache');
  /** Identifies this instance's own messages, which it has applied already. */
  readonly origin = randomUUID();
  private readonly subscriber: Redis | null = null;
  private subscribed = false;
  private messageListener: (message: InvalidationMessage) => void = () => undefined;
  private readyListener: (ready: boolean) => void = () => undefined;
  private readyWaiter: (() => void) | null = null;
  private readonly channel: string;

  constructor(connection: RedisConnection) {
    this.channel = connection.keyspace + INVALIDATION_CHANNEL;
    if (connection.url === null) return;
    this.subscriber = new Redis(connection.url, {
      lazyConnect: true,
      // Subscribed by hand on every (re)connection, so `ready` turns true only once it really is.
      autoResubscribe: false,
      enableOfflineQueue: false,
      connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
      // How long disconnect() waits for a half-open socket before destroying it (default 2 s, which
      // would hold up shutdown during an outage).
      disconnectTimeout: 200,
      retryStrategy: (times: number) => Math.min(100 * 2 ** times, 500),
    });
    // RedisConnection logs outages; without a listener an 'error' event would crash the process.
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('ready', () => void this.subscribe());
    this.subscriber.on('close', () => this.setReady(false));
    this.subscriber.on('message', (_channel: string, raw: string) => this.receive(raw));
  }

  get ready(): boolean {
    return this.subscribed;
  }

  /** Called for every message from another instance. */
  onMessage(listener: (message: InvalidationMessage) => void): void {
    this.messageListener = listener;
  }

  /** Called when the subscription is lost or established. */
  onReadyChange(listener: (ready: boolean) => void): void {
    this.readyListener = listener;
  }

  encode(message: InvalidationMessage): string {
    const wire: WireMessage = { origin: this.origin, ...message };
    return JSON.stringify(wire);
  }

  async onModuleInit(): Promise<void> {
    if (this.subscriber === null) return;
    const ready = new Promise<void>((resolve) => (this.readyWaiter = resolve));
    void this.subscriber.connect().catch(() => undefined);
    // Boot waits briefly, so the first requests can use L1; a Redis that is down does not stop it.
    await withTimeout(ready, REDIS_CONNECT_TIMEOUT_MS).catch(() => undefined);
  }

  onApplicationShutdown(): void {
    this.subscriber?.disconnect();
  }

  private async subscribe(): Promise<void> {
    try {
      await this.subscriber?.subscribe(this.channel);
      this.setReady(true);
    } catch (err: unknown) {
      // The connection dropped again: the next 'ready' retries.
      this.logger.debug(`Subscribing to ${this.channel} failed: ${String(err)}`);
    }
  }

  private setReady(ready: boolean): void {
    if (ready === this.subscribed) return;
    this.subscribed = ready;
    this.readyListener(ready);
    if (ready) {
      this.readyWaiter?.();
      this.readyWaiter = null;
    }
  }

  private receive(raw: string): void {
    const message = parseMessage(raw);
    if (message === undefined) {
      this.logger.warn(`Ignored a malformed invalidation message (${raw.length} bytes)`);
      return;
    }
    if (message.origin !== this.origin) this.messageListener(message);
  }
}

/** Anything on the channel is checked before use: a bad message must not break the subscriber. */
function parseMessage(raw: string): WireMessage | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { origin, keys, versions, reset } = parsed as Record<string, unknown>;
  if (typeof origin !== 'string') return undefined;
  if (reset !== undefined && reset !== true) return undefined;
  if (keys !== undefined && !(Array.isArray(keys) && keys.every((key) => typeof key === 'string'))) return undefined;
  if (versions !== undefined) {
    if (typeof versions !== 'object' || versions === null) return undefined;
    if (!Object.values(versions).every((version) => typeof version === 'number')) return undefined;
  }
  return { origin, keys, versions: versions as Record<string, number> | undefined, reset };
}
