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

  describe('drain', () => {
    it('should fail readiness at once and resolve after the grace period', async () => {
      const sut = new LifecycleStateService(configWithGrace(150));
      const started = performance.now();
      const draining = sut.drain('SIGTERM');

      expect(sut.isShuttingDown).toBe(true);
      expect(sut.isClosing).toBe(false);
      await expect(draining).resolves.toBeUndefined();
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
      expect(sut.isClosing).toBe(false);
    });
  });

  describe('markClosing', () => {
    it('should refuse requests from now on, and fail readiness', () => {
      const sut = new LifecycleStateService(configWithGrace(0));

      sut.markClosing();

      expect(sut.isClosing).toBe(true);
      expect(sut.isShuttingDown).toBe(true);
    });
  });

  describe('beforeApplicationShutdown', () => {
    it('should fail readiness without waiting when closed from code', () => {
      const sut = new LifecycleStateService(configWithGrace(60_000));

      sut.beforeApplicationShutdown();

      expect(sut.isShuttingDown).toBe(true);
      expect(sut.isClosing).toBe(false);
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
