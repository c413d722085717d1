import type { AppConfig } from '@app/config';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { setTimeout as delay } from 'node:timers/promises';

/** Where the process is in its life: booted, and whether it is draining before shutdown. */
@Injectable()
export class LifecycleStateService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LifecycleStateService.name);
  private bootstrapped = false;
  private shuttingDown = false;

  constructor(private readonly config: ConfigService<AppConfig, true>) {}

  get isBootstrapped(): boolean {
    return this.bootstrapped;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  onApplicationBootstrap(): void {
    this.bootstrapped = true;
  }

  /** Readiness answers 503 from now on; requests are still served until the server closes. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  /**
   * Runs before Nest closes the server. Readiness goes 503 first; on a real signal (SIGTERM from
   * Kubernetes) we keep serving for `shutdownGraceMs`, so endpoints stop routing here before the
   * listener closes. A programmatic `app.close()` (tests, scripts) has no traffic to drain: no wait.
   */
  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.markShuttingDown();
    const graceMs = this.config.get('shutdownGraceMs', { infer: true });
    if (!signal || graceMs <= 0) return;
    this.logger.log(`${signal}: readiness now 503, draining for ${graceMs} ms before closing the server`);
    await delay(graceMs);
  }
}
