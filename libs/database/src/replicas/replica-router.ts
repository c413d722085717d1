import type { AppConfig } from '@app/config';
import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { replicaPoolConfig } from '../typeorm-options';
import { Replica, type ReplicaStatus } from './replica';
import { WritePositions } from './write-positions';

/**
 * The configured read replicas (DB_REPLICA_HOSTS) and the choice of one for a read. None with the
 * variable unset, or on the embedded database: `pick()` is then a length check, and nothing polls.
 * Replicas are never connected at boot: each is polled in the background from `onModuleInit`, and
 * one that is down, lagging or not yet heard from simply gets no reads.
 */
@Injectable()
export class ReplicaRouter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Replicas');
  readonly replicas: readonly Replica[];
  private next = 0;
  private primaryReads = 0;
  /** Until then every read goes to the primary: a write's position could not be read (see DatabaseService). */
  private primaryOnlyUntil = 0;
  private readonly maxLagMs: number;
  private pruner: NodeJS.Timeout | undefined;

  constructor(
    config: ConfigService<AppConfig, true>,
    readonly positions: WritePositions,
  ) {
    const db = config.get('db', { infer: true });
    const hosts = db.embedded ? [] : db.replicaHosts;
    this.maxLagMs = db.replicaMaxLagMs;
    this.replicas = hosts.map(
      (replica) =>
        new Replica(
          {
            ...replica,
            pool: replicaPoolConfig(db, replica),
            pollMs: db.replicaPollMs,
            maxLagMs: db.replicaMaxLagMs,
          },
          positions,
          this.logger,
        ),
    );
  }

  get configured(): boolean {
    return this.replicas.length > 0;
  }

  /** A replica that may answer a read now (round robin among them), or undefined: the primary answers. */
  pick(): Replica | undefined {
    const { replicas } = this;
    if (this.primaryOnlyUntil !== 0) {
      if (Date.now() < this.primaryOnlyUntil) return this.onPrimary();
      this.primaryOnlyUntil = 0;
    }
    if (!this.positions.complete) return this.onPrimary();
    for (let tried = 0; tried < replicas.length; tried++) {
      const replica = replicas[this.next];
      this.next = (this.next + 1) % replicas.length;
      if (replica.eligible) return replica;
    }
    return this.onPrimary();
  }

  /**
   * Reads no replica could take (none up, none has replayed the newest known write, or other instances'
   * positions may be unheard), since start.
   */
  get readsOnPrimary(): number {
    return this.primaryReads;
  }

  private onPrimary(): undefined {
    this.primaryReads++;
    return undefined;
  }

  /**
   * A write committed but its position is unknown (the primary did not answer the question after it):
   * no replica is known to have it, so reads stay on the primary for DB_REPLICA_MAX_LAG_MS, the longest
   * any replica serving reads may be behind.
   */
  unknownWritePosition(): void {
    this.primaryOnlyUntil = Date.now() + this.maxLagMs;
  }

  status(): ReplicaStatus[] {
    return this.replicas.map((replica) => replica.status());
  }

  onModuleInit(): void {
    if (!this.configured) return;
    this.logger.log(
      `Reads go to ${this.replicas.map((r) => r.address).join(', ')} once they have replayed every known write`,
    );
    for (const replica of this.replicas) replica.start();
    // Dates of writes every replaying replica has replayed are no longer needed to tell a delay.
    this.pruner = setInterval(() => {
      const up = this.replicas.filter((replica) => replica.replaying);
      if (up.length === 0) return;
      const byAll = up.reduce((min, r) => (r.replayPosition < min ? r.replayPosition : min), up[0].replayPosition);
      this.positions.forgetReplayed(byAll);
    }, 1000).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.pruner);
    await Promise.all(this.replicas.map((replica) => replica.stop()));
  }
}
