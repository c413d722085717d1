import type { AppConfig } from '@app/config';
import { Logger } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import { LifecycleStateService } from './lifecycle-state.service';

function configWithGrace(shutdownGraceMs: number): ConfigService<AppConfig, true> {
  return { get: () => shutdownGraceMs } as unknown as ConfigService<AppConfig, true>;
}

describe(LifecycleStateService.name, () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  describe('beforeApplicationShutdown', () => {
    it('should mark the app as shutting down and wait the grace period on a signal', async () => {
      const sut = new LifecycleStateService(configWithGrace(150));
      const started = performance.now();
      const draining = sut.beforeApplicationShutdown('SIGTERM');

      expect(sut.isShuttingDown).toBe(true);
      await expect(draining).resolves.toBeUndefined();
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    });

    it('should not wait when closed from code (no signal)', async () => {
      const sut = new LifecycleStateService(configWithGrace(60_000));
      const started = performance.now();

      await expect(sut.beforeApplicationShutdown()).resolves.toBeUndefined();
      expect(sut.isShuttingDown).toBe(true);
      expect(performance.now() - started).toBeLessThan(50);
    });
  });

  describe('onApplicationBootstrap', () => {
    it('should mark the app as booted', () => {
      const sut = new LifecycleStateService(configWithGrace(0));
      expect(sut.isBootstrapped).toBe(false);

      sut.onApplicationBootstrap();

      expect(sut.isBootstrapped).toBe(true);
    });
  });
});
