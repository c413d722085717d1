import CircuitBreaker from 'opossum';
import { setTimeout as delay } from 'node:timers/promises';
import { BreakerRecovery } from './breaker-recovery';

const INTERVAL_MS = 20;

describe(BreakerRecovery.name, () => {
  let breaker: CircuitBreaker<[], string>;
  let sut: BreakerRecovery | undefined;

  beforeEach(() => {
    // resetTimeout far away: only the recovery under test may close it.
    breaker = new CircuitBreaker(() => Promise.resolve('ok'), { resetTimeout: 60_000 });
  });
  afterEach(() => {
    sut?.stop();
    breaker.shutdown();
  });

  it('should close an open breaker at the first answered ping', async () => {
    let answers = false;
    const ping = jest.fn(() => (answers ? Promise.resolve() : Promise.reject(new Error('ECONNREFUSED'))));
    sut = new BreakerRecovery(breaker, ping, INTERVAL_MS);

    breaker.open();
    await delay(INTERVAL_MS * 4);
    expect(breaker.opened).toBe(true);
    expect(ping).toHaveBeenCalled();
    answers = true;
    // Polled rather than a fixed sleep: the machine is shared, timers run late under load.
    for (let waited = 0; !breaker.closed && waited < 1000; waited += INTERVAL_MS) await delay(INTERVAL_MS);

    expect(breaker.closed).toBe(true);
  });

  it('should not ping while the breaker is closed, and stop once it closed', async () => {
    const ping = jest.fn(() => Promise.resolve());
    sut = new BreakerRecovery(breaker, ping, INTERVAL_MS);

    await delay(INTERVAL_MS * 3);
    expect(ping).not.toHaveBeenCalled();
    breaker.open();
    await delay(INTERVAL_MS * 5);

    expect(ping).toHaveBeenCalledTimes(1);
  });

  it('should ping one at a time, however slow a ping is', async () => {
    let inFlight = 0;
    let most = 0;
    const ping = jest.fn(async () => {
      most = Math.max(most, ++inFlight);
      await delay(INTERVAL_MS * 3);
      inFlight--;
      throw new Error('timeout');
    });
    sut = new BreakerRecovery(breaker, ping, INTERVAL_MS);

    breaker.open();
    await delay(INTERVAL_MS * 10);

    expect(most).toBe(1);
    expect(breaker.opened).toBe(true);
  });

  it('should stop pinging at stop()', async () => {
    const ping = jest.fn(() => Promise.reject(new Error('ECONNREFUSED')));
    sut = new BreakerRecovery(breaker, ping, INTERVAL_MS);
    breaker.open();
    await delay(INTERVAL_MS * 2.5);

    sut.stop();
    const calls = ping.mock.calls.length;
    await delay(INTERVAL_MS * 4);

    expect(ping).toHaveBeenCalledTimes(calls);
  });
});
