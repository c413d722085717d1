import type { AppConfig } from '@app/config';
import { WritePositions } from '@app/database';
import { REDIS_CONNECT_TIMEOUT_MS, RedisConnection, withTimeout } from '@app/redis';
import { Injectable, Logger, Optional, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { INVALIDATION_CHANNEL } from './cache-key';

/** What one instance tells the others after a write: the versions it bumped, with their new values. */
export interface InvalidationMessage {
  versions: Record<string, number>;
  /** The sender's newest write position (WAL LSN): replicas serve this instance's reads once they have it. */
  lsn?: string;
}

type WireMessage = InvalidationMessage & { origin: string };

/**
 * The receiving side of cross-instance invalidation, on the process's subscriber connection; messages
 * go out through the guarded L2 client (`RedisCacheStore.publish`) as `encode` writes them.
 *
 * `confirmed` holds while this instance has heard its own heartbeat within `CACHE_UNCONFIRMED_MAX_MS`:
 * a heartbeat sent at `t` that comes back proves every message Redis accepted before `t` has been
 * received (one connection delivers in order), so a write another instance acknowledged cannot stay
 * unheard for longer than the bound, even when Redis hangs (no error, no closed socket) or the
 * subscription silently stops. A closed subscriber lapses it at once. Messages may have been missed
 * during a lapse: `onConfirmed` listeners hear when it ends.
 */
@Injectable()
export class CacheInvalidationBus implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RedisCache');
  /** Identifies this instance's own messages, which it has applied already. */
  private readonly origin = randomUUID();
  private readonly subscriber: Redis | null;
  private readonly channel: string;
  /** Only this instance listens here: other instances' heartbeats cost it nothing. */
  private readonly heartbeatChannel: string;
  private readonly unconfirmedMaxMs: number;
  /** When the newest heartbeat that came back was sent (this process's clock: no skew). */
  private confirmedAt = 0;
  private silenceReported = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private messageListener: (message: InvalidationMessage) => void = () => undefined;
  private confirmedListener: () => void = () => undefined;
  private confirmedWaiter: (() => void) | null = null;

  constructor(
    private readonly connection: RedisConnection,
    config: ConfigService<AppConfig, true>,
    @Optional() private readonly writePositions?: WritePositions,
  ) {
    this.channel = connection.keyspace + INVALIDATION_CHANNEL;
    this.heartbeatChannel = `${this.channel}:heartbeat:${this.origin}`;
    this.unconfirmedMaxMs = config.get('cache', { infer: true }).unconfirmedMaxMs;
    this.subscriber = connection.subscriber;
    // While this bus may be missing messages, so may the positions they carry: replicas are not trusted.
    writePositions?.heardThrough(() => this.confirmed);
    this.subscriber?.on('ready', () => void this.subscribe());
    this.subscriber?.on('close', () => (this.confirmedAt = 0));
    this.subscriber?.on('message', (channel: string, raw: string) =>
      channel === this.heartbeatChannel ? this.heard(Number(raw)) : this.receive(raw),
    );
  }

  /** A timestamp compare, cheap enough for every request. Always true without Redis (nothing to hear). */
  get confirmed(): boolean {
    return this.subscriber === null || Date.now() - this.confirmedAt <= this.unconfirmedMaxMs;
  }

  /** Called for every message from another instance. */
  onMessage(listener: (message: InvalidationMessage) => void): void {
    this.messageListener = listener;
  }

  /** Called whenever `confirmed` turns true (at boot, and after a lapse). */
  onConfirmed(listener: () => void): void {
    this.confirmedListener = listener;
  }

  encode(message: InvalidationMessage): string {
    return JSON.stringify({
      origin: this.origin,
      ...message,
      lsn: this.writePositions?.newest(),
    } satisfies WireMessage);
  }

  async onModuleInit(): Promise<void> {
    if (this.subscriber === null) return;
    const confirmed = new Promise<void>((resolve) => (this.confirmedWaiter = resolve));
    void this.subscriber.connect().catch(() => undefined);
    // Four beats per bound: one lost or late beat does not lapse the confirmation.
    this.heartbeat = setInterval(() => this.beat(), this.unconfirmedMaxMs / 4).unref();
    // Boot waits briefly, so the first requests can use L1; a Redis that is down does not stop it.
    await withTimeout(confirmed, REDIS_CONNECT_TIMEOUT_MS).catch(() => undefined);
  }

  onApplicationShutdown(): void {
    clearInterval(this.heartbeat);
  }

  private async subscribe(): Promise<void> {
    try {
      await this.subscriber?.subscribe(this.channel, this.heartbeatChannel);
      this.beat();
    } catch (err: unknown) {
      // The connection dropped again: the next 'ready' retries.
      this.logger.debug(`Subscribing to ${this.channel} failed: ${String(err)}`);
    }
  }

  private beat(): void {
    if (!this.confirmed && !this.silenceReported && this.confirmedAt > 0) {
      this.silenceReported = true;
      this.logger.warn(`Invalidation bus silent for over ${this.unconfirmedMaxMs} ms: in-process tiers bypassed`);
    }
    // Fails within the command timeout while Redis is down or hung; the next beat tries again.
    void this.connection.client?.publish(this.heartbeatChannel, String(Date.now())).catch(() => undefined);
  }

  private heard(sentAt: number): void {
    if (!(sentAt > this.confirmedAt)) return;
    const wasConfirmed = this.confirmed;
    this.confirmedAt = sentAt;
    if (wasConfirmed || !this.confirmed) return;
    if (this.silenceReported) this.logger.log('Invalidation bus heard again: in-process tiers back in use');
    this.silenceReported = false;
    this.confirmedListener();
    this.confirmedWaiter?.();
    this.confirmedWaiter = null;
  }

  private receive(raw: string): void {
    const message = parseMessage(raw);
    if (message === undefined) {
      this.logger.warn(`Ignored a malformed invalidation message (${raw.length} bytes)`);
    } else if (message.origin !== this.origin) {
      // Before the invalidation is applied: a fill it causes must read from a replica that has the write.
      if (message.lsn !== undefined) this.writePositions?.heard(message.lsn);
      this.messageListener(message);
    }
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
  const { origin, versions, lsn } = parsed as Record<string, unknown>;
  if (typeof origin !== 'string' || typeof versions !== 'object' || versions === null) return undefined;
  if (!Object.values(versions).every((version) => Number.isSafeInteger(version))) return undefined;
  if (lsn !== undefined && typeof lsn !== 'string') return undefined;
  return { origin, versions: versions as Record<string, number>, lsn };
}
