import type { AppConfig } from '@app/config';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Where the process is in its life: booted; draining (readiness 503, every request still served);
 * closing (new requests refused with 503, in-flight ones finishing). The HTTP layer runs the
 * sequence (apps/api/src/http/graceful-shutdown.ts); this service holds the state the probes and
 * the request gate read.
 */
@Injectable()
export class LifecycleStateService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LifecycleStateService.name);
  private bootstrapped = false;
  private shuttingDown = false;
  private closing = false;

  constructor(private readonly config: ConfigService<AppConfig, true>) {}

  get isBootstrapped(): boolean {
    return this.bootstrapped;
  }

  /** From the first moment of shutdown: readiness answers 503. */
  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** After the grace period: requests that still arrive are refused (the server is about to close). */
  get isClosing(): boolean {
    return this.closing;
  }

  onApplicationBootstrap(): void {
    this.bootstrapped = true;
  }

  /** Readiness answers 503 from now on; requests are still served until the server closes. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  markClosing(): void {
    this.shuttingDown = true;
    this.closing = true;
  }

  /**
   * Readiness goes 503 at once, then every request is still served for `shutdownGraceMs`: Kubernetes
   * removes the pod from its endpoints asynchronously, and balancers keep sending until they notice.
   */
  async drain(signal: string): Promise<void> {
    this.markShuttingDown();
    const graceMs = this.config.get('shutdownGraceMs', { infer: true });
    this.logger.log(`${signal}: readiness now 503, serving for ${graceMs} ms more before closing the server`);
    if (graceMs > 0) await delay(graceMs);
  }

  /** A programmatic `app.close()` (tests, scripts) has no traffic to drain: readiness fails, no wait. */
  beforeApplicationShutdown(): void {
    this.markShuttingDown();
  }
}
