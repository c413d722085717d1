import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { LifecycleStateService } from '../lifecycle/lifecycle-state.service';

/** The process itself: alive, booted, draining. Never looks at a dependency. */
@Injectable()
export class LifecycleHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly lifecycle: LifecycleStateService,
  ) {}

  /** If this code runs, the event loop turns: that is all liveness may claim. */
  process(key = 'process'): HealthIndicatorResult {
    return this.indicators.check(key).up({ pid: process.pid, uptimeSeconds: Math.round(process.uptime()) });
  }

  /** Liveness without details: the PID and uptime are for `/health`, behind the monitoring token. */
  alive(key = 'process'): HealthIndicatorResult {
    return this.indicators.check(key).up();
  }

  booted(key = 'bootstrap'): HealthIndicatorResult {
    const check = this.indicators.check(key);
    return this.lifecycle.isBootstrapped ? check.up() : check.down({ message: 'still starting' });
  }

  /** Down from the first moment of shutdown, so load balancers stop routing here before the server closes. */
  acceptingTraffic(key = 'shutdown'): HealthIndicatorResult {
    const check = this.indicators.check(key);
    return this.lifecycle.isShuttingDown ? check.down({ message: 'shutting down' }) : check.up();
  }
}
