// Requests that vary per request under autocannon, reproducibly: each connection gets its own
// generator with its own PRNG seeded by the connection's index, so a run's mix does not depend on
// how the event loop interleaves connections. Latency and errors are tallied per request kind.

/** mulberry32: a tiny, fast, seedable PRNG with uniform floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed for connection `index`: spread out so neighbouring connections do not start alike. */
export const connectionSeed = (index) => Math.imul(index + 1, 0x9e3779b1);

/**
 * autocannon options in which connection i sends what `makeNext(i)()` returns, one call per
 * request: `{ kind, method?, path, headers?, body? }`. With `tally`, each response's latency and
 * status is recorded under its kind; that works because a connection has one request in flight
 * (pipelining 1): autocannon reports a response before it asks for the next request.
 */
export function perConnection(makeNext, tally) {
  let connections = 0;
  return {
    setupClient(client) {
      const next = makeNext(connections++);
      let current;
      let previous;
      // setRequests builds the first request at once; every later one is built when it is sent.
      client.setRequests([
        {
          setupRequest(req) {
            previous = current;
            current = next();
            return {
              ...req,
              method: current.method ?? 'GET',
              path: current.path,
              headers: { ...req.headers, ...current.headers },
              body: current.body,
            };
          },
        },
      ]);
      if (!tally) return;
      client.on('response', (status, _bytes, ms) => tally.record(current.kind, status, ms, current));
      // On a timeout autocannon reconnects and builds the next request before it tells us.
      client.on('timeout', () => tally.timeout(previous?.kind ?? current.kind));
    },
  };
}

/** Per-kind counts, non-2xx answers, timeouts and latencies (ms) of one measured run. */
export class KindTally {
  kinds = new Map();

  of(kind) {
    let k = this.kinds.get(kind);
    if (!k) this.kinds.set(kind, (k = { count: 0, errors: 0, latencies: [] }));
    return k;
  }

  record(kind, status, ms) {
    const k = this.of(kind);
    k.count++;
    if (status < 200 || status > 299) k.errors++;
    k.latencies.push(ms);
  }

  timeout(kind) {
    this.of(kind).errors++;
  }

  /** Summary over the given kinds together: { count, errors, p50, p99 } (latencies in ms). */
  summarize(kinds) {
    const parts = kinds.map((kind) => this.of(kind));
    const latencies = Float64Array.from(parts.flatMap((k) => k.latencies)).sort();
    const at = (q) =>
      latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] : 0;
    return {
      count: parts.reduce((n, k) => n + k.count, 0),
      errors: parts.reduce((n, k) => n + k.errors, 0),
      p50: at(0.5),
      p99: at(0.99),
    };
  }
}
