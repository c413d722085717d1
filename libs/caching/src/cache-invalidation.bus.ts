import type { AppConfig } from '@app/config';
import { WritePositions } from '@app/database';
import { REDIS_CONNECT_TIMEOUT_MS, RedisConnection, withTimeout } from '@app/redis';
import { Injectable, Logger, Optional, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { INVALIDATION_CHANNEL } from './cache-key';

/**
 * Each write's versions and WAL position (`encode`, published by RedisCacheStore.bump), emitted as `message` on every instance.
 * `confirmed` while this instance heard its own heartbeat within `CACHE_UNCONFIRMED_MAX_MS`: one sent at `t` proves
 * every message Redis took before `t` arrived (one connection delivers in order), even if Redis hangs or the
 * subscription silently stops. Emits `confirmed` when that turns true again.
 */
@Injectable()
export class CacheInvalidationBus
  extends EventEmitter<{ message: [Record<string, number>]; confirmed: [] }>
  implements OnModuleInit, OnApplicationShutdown
{
  private readonly logger = new Logger('RedisCache');
  private readonly subscriber: Redis | null;
  private readonly channel: string;
  /** Only this instance listens here: other instances' heartbeats cost it nothing. */
  private readonly heartbeatChannel: string;
  private readonly unconfirmedMaxMs: number;
  /** When the newest heartbeat that came back was sent (this process's clock: no skew); 0 when closed. */
  private confirmedAt = 0;
  private silenceReported = false;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly connection: RedisConnection,
    config: ConfigService<AppConfig, true>,
    @Optional() private readonly writePositions?: WritePositions,
  ) {
    super();
    this.channel = connection.keyspace + INVALIDATION_CHANNEL;
    this.heartbeatChannel = `${this.channel}:heartbeat:${randomUUID()}`;
    this.unconfirmedMaxMs = config.get('cache', { infer: true }).unconfirmedMaxMs;
    this.subscriber = connection.subscriber;
    // While this bus may be missing messages, so may the positions they carry: replicas are not trusted.
    writePositions?.heardThrough(() => this.confirmed);
    this.subscriber?.on('ready', () => this.subscribe());
    this.subscriber?.on('close', () => (this.confirmedAt = 0));
    this.subscriber?.on('message', (channel: string, raw: string) =>
      channel === this.heartbeatChannel ? this.heard(Number(raw)) : this.receive(raw),
    );
  }

  get confirmed(): boolean {
    return this.subscriber === null || Date.now() - this.confirmedAt <= this.unconfirmedMaxMs;
  }

  /** A write's message: its versions, with the newest write position this instance knows of. */
  readonly encode = (versions: Record<string, number>): string =>
    JSON.stringify({ versions, lsn: this.writePositions?.newest() });

  async onModuleInit(): Promise<void> {
    if (this.subscriber === null) return;
    const confirmed = once(this, 'confirmed');
    void this.subscriber.connect().catch(() => undefined);
    // Four beats per bound: one lost or late beat does not lapse the confirmation.
    this.heartbeat = setInterval(() => this.beat(), this.unconfirmedMaxMs / 4).unref();
    // Boot waits briefly, so the first requests can use L1; a Redis that is down does not stop it.
    await withTimeout(confirmed, REDIS_CONNECT_TIMEOUT_MS).catch(() => undefined);
  }

  onApplicationShutdown(): void {
    clearInterval(this.heartbeat);
  }

  private subscribe(): void {
    // A failure means the connection dropped again: the next 'ready' retries.
    const subscribed = this.subscriber?.subscribe(this.channel, this.heartbeatChannel);
    void subscribed?.then(() => this.beat()).catch(() => undefined);
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
    this.emit('confirmed');
  }

  /** Anything on the channel is checked before use: a bad message must not break the subscriber. */
  private receive(raw: string): void {
    let message: { versions?: unknown; lsn?: unknown } = {};
    try {
      message = (JSON.parse(raw) as typeof message | null) ?? {};
    } catch {
      // reported below
    }
    const { versions, lsn } = message;
    if (typeof versions === 'object' && versions !== null && Object.values(versions).every(Number.isSafeInteger)) {
      // Before the invalidation is applied: a fill it causes must read from a replica that has the write.
      if (typeof lsn === 'string') this.writePositions?.heard(lsn);
      this.emit('message', versions as Record<string, number>);
    } else this.logger.warn(`Ignored a malformed invalidation message (${raw.length} bytes)`);
  }
}
