import SwaggerParser from '@apidevtools/swagger-parser';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { OpenApiResponseValidator } from './support/openapi-validator';

// Config is read when the app module is first imported: set it before the dynamic imports below.
const TOKEN = 'test-monitoring-token-0123456789';
process.env.MONITORING_TOKEN = TOKEN;
// The shared server doubles as a "replica" here, so the replica checks run against a real pool
// (it is not a standby: in recovery false, no replay lag).
process.env.DB_REPLICA_HOSTS = `${process.env.DB_HOST}:${process.env.DB_PORT}`;

const DELAY_ROUTE = '/api/test/delay/:ms';
const MONITORING_ROUTES = ['/api/monitoring/database/health', '/api/monitoring/performance', '/metrics'];
const AUTH = `Bearer ${TOKEN}`;
const POOL = { total: expect.any(Number), idle: expect.any(Number), waiting: 0, max: 10 };

interface RouteStats {
  method: string;
  route: string;
  count: number;
  clientErrors: number;
  serverErrors: number;
  errorRate: number;
  windowSeconds: number;
  ratePerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus text exposition format strictly: every line is a comment, blank, or a valid sample. */
function parsePrometheus(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ')) continue;
    const type = /^# TYPE ([a-zA-Z_:][\w:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1], type[2]);
      continue;
    }
    // prom-client writes an empty event-loop histogram's mean as `Nan` (Prometheus parses NaN in any case).
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (-?[\d.]+(?:e[+-]?\d+)?|[Nn]a[Nn]|[+-]Inf)(?: \d+)?$/.exec(line);
    if (!sample) throw new Error(`Not Prometheus text: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    for (const [, name, value] of (sample[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[name] = value;
    }
    samples.push({
      name: sample[1],
      labels,
      value: Number(sample[3].replace('Inf', 'Infinity').replace(/^nan$/i, 'NaN')),
    });
  }
  return { types, samples };
}

describe('Monitoring', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const { createApp } = await import('../src/http/create-app');
    const { addDelayRoute } = await import('../../../libs/monitoring/test/test-routes');
    app = await createApp();
    addDelayRoute(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app.close();
  });

  const get = (url: string, authorization?: string) => {
    const req = request(app.getHttpServer()).get(url);
    return authorization ? req.set('Authorization', authorization) : req;
  };

  describe('MonitoringTokenGuard', () => {
    it.each(MONITORING_ROUTES)('should answer 401 in the error envelope without the token: %s', async (url) => {
      const res = await get(url);

      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="monitoring"');
      expect(res.body).toEqual({ errors: { authorization: ['is required: send Authorization: Bearer <token>'] } });
    });

    it.each(MONITORING_ROUTES)('should answer 401 to a wrong token: %s', async (url) => {
      const res = await get(url, `Bearer ${TOKEN}x`);

      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: { authorization: ['is not the monitoring token'] } });
    });

    it.each(MONITORING_ROUTES)('should answer 200 with the token: %s', async (url) => {
      const res = await get(url, AUTH);

      expect(res.status).toBe(200);
    });

    it.each(['/health/live', '/health/ready', '/health/startup'])('should leave the probes open: %s', async (url) => {
      const res = await get(url);

      expect(res.status).toBe(200);
    });

    it('should keep the details of /health (hosts, pools, PID) behind the token', async () => {
      const closed = await get('/health');
      const open = await get('/health', AUTH);

      expect(closed.status).toBe(401);
      expect(closed.body).toEqual({ errors: { authorization: ['is required: send Authorization: Bearer <token>'] } });
      expect(open.status).toBe(200);
      expect(open.body.details.process).toEqual(expect.objectContaining({ pid: process.pid }));
    });
  });

  describe('GET /api/monitoring/database/health', () => {
    it('should report latency, pools, replicas with lag, breaker and migrations', async () => {
      const res = await get('/api/monitoring/database/health', AUTH);

      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toEqual({
        status: 'up',
        checkedAt: expect.any(String),
        primary: { status: 'up', latencyMs: expect.any(Number), pool: POOL, readsInsteadOfReplica: expect.any(Number) },
        replicas: [
          {
            host: process.env.DB_HOST,
            port: Number(process.env.DB_PORT),
            status: 'up',
            // Answers, but replays nothing: routing never sends it a read.
            state: 'not-standby',
            lagBytes: null,
            lagMs: null,
            readsServed: 0,
            readsFailedOver: 0,
            replayLsn: null,
            latencyMs: expect.any(Number),
            inRecovery: false,
            replayLagSeconds: null,
            pool: POOL,
          },
        ],
        breaker: { state: 'closed', failures: 0, rejects: 0, successes: expect.any(Number) },
        migrations: { pending: [] },
        backup: {
          status: 'none',
          message: 'no backup recorded (BACKUP_DIR is not set)',
          lastVerifiedAt: null,
        },
      });
      expect(new Date(res.body.checkedAt).toISOString()).toBe(res.body.checkedAt);
    });
  });

  describe('GET /health', () => {
    it('should include each replica in the details', async () => {
      const res = await get('/health', AUTH);

      expect(res.body.details.replicas).toEqual({
        status: 'up',
        replicas: [expect.objectContaining({ status: 'up', inRecovery: false, replayLagSeconds: null })],
      });
    });
  });

  describe('GET /api/monitoring/performance', () => {
    // 0, 20, ..., 380 ms in a scrambled order. Nearest rank over 20 samples: p50 is the 10th
    // smallest (180), p95 the 19th (360), p99 the 20th (380).
    const delays = Array.from({ length: 20 }, (_, i) => ((i * 7) % 20) * 20);

    it('should report exact nearest-rank percentiles for a known sequence of requests', async () => {
      for (const ms of delays) {
        const res = await get(`/api/test/delay/${ms}`);
        expect(res.status).toBe(200);
      }

      const res = await get('/api/monitoring/performance', AUTH);

      expect(res.status).toBe(200);
      const route = (res.body.routes as RouteStats[]).find((r) => r.route === DELAY_ROUTE);
      expect(route).toEqual({
        method: 'GET',
        route: DELAY_ROUTE,
        count: 20,
        clientErrors: 0,
        serverErrors: 0,
        windowSamples: 20,
        windowSeconds: expect.any(Number),
        ratePerSecond: expect.any(Number),
        errorRate: 0,
        latencyMs: {
          p50: expect.any(Number),
          p95: expect.any(Number),
          p99: expect.any(Number),
          max: expect.any(Number),
          mean: expect.any(Number),
        },
      });
      // Measured time = the delay plus a little framework overhead: within 15 ms, less than the 20 ms step.
      const { p50, p95, p99, max } = route!.latencyMs;
      for (const [measured, expected] of [
        [p50, 180],
        [p95, 360],
        [p99, 380],
        [max, 380],
      ]) {
        expect(measured).toBeGreaterThanOrEqual(expected);
        expect(measured).toBeLessThan(expected + 15);
      }
      expect(route!.ratePerSecond).toBeCloseTo(20 / route!.windowSeconds, 2);
    });

    it('should count 5xx in the error rate and lump unmatched URLs under one label', async () => {
      // Counted from what this test adds, whatever ran before it.
      const routesNow = async () => (await get('/api/monitoring/performance', AUTH)).body.routes as RouteStats[];
      const zero = { count: 0, clientErrors: 0, serverErrors: 0 };
      const before = await routesNow();
      const delayBefore = before.find((r) => r.route === DELAY_ROUTE) ?? zero;
      const unmatchedBefore = before.find((r) => r.route === '(unmatched)') ?? zero;
      for (let i = 0; i < 5; i++) await get('/api/test/delay/0?status=503');
      await get('/api/test/delay/0');
      await get('/no/such/route/123');
      await get('/no/such/route/456');

      const routes = await routesNow();

      const delay = routes.find((r) => r.route === DELAY_ROUTE)!;
      expect(delay).toEqual(
        expect.objectContaining({ count: delayBefore.count + 6, serverErrors: delayBefore.serverErrors + 5 }),
      );
      expect(delay.errorRate).toBeCloseTo(delay.serverErrors / delay.count, 3); // reported to 3 decimals
      expect(routes.find((r) => r.route === '(unmatched)')).toEqual(
        expect.objectContaining({
          method: 'GET',
          count: unmatchedBefore.count + 2,
          clientErrors: unmatchedBefore.clientErrors + 2,
          serverErrors: 0,
        }),
      );
      expect(routes.map((r) => r.route).filter((r) => /\d/.test(r.replace(':ms', '')))).toEqual([]);
    });

    it('should report event-loop delay, memory and uptime', async () => {
      const res = await get('/api/monitoring/performance', AUTH);

      expect(res.body).toEqual(
        expect.objectContaining({
          uptimeSeconds: expect.any(Number),
          startedAt: expect.any(String),
          windowSize: 1024,
          routes: expect.any(Array),
          eventLoopDelay: {
            meanMs: expect.any(Number),
            p50Ms: expect.any(Number),
            p99Ms: expect.any(Number),
            maxMs: expect.any(Number),
          },
          memory: {
            rssBytes: expect.any(Number),
            heapUsedBytes: expect.any(Number),
            heapTotalBytes: expect.any(Number),
            externalBytes: expect.any(Number),
          },
        }),
      );
      expect(res.body.memory.rssBytes).toBeGreaterThan(res.body.memory.heapUsedBytes);
    });
  });

  describe('GET /metrics', () => {
    it('should serve Prometheus text with defaults, the request histogram by route template, pool and breaker gauges', async () => {
      // Counted from what this test adds, whatever ran before it.
      const serverErrorsOf = (text: string) =>
        parsePrometheus(text).samples.find(
          (s) =>
            s.name === 'http_request_duration_seconds_bucket' &&
            s.labels.route === DELAY_ROUTE &&
            s.labels.le === '+Inf' &&
            s.labels.status_class === '5xx',
        )?.value ?? 0;
      const serverErrorsBefore = serverErrorsOf((await get('/metrics', AUTH)).text);
      await get('/api/test/delay/1');
      await get('/no/such/route/789');
      for (let i = 0; i < 3; i++) await get('/api/test/delay/0?status=503');

      const res = await get('/metrics', AUTH);

      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      const { types, samples } = parsePrometheus(res.text);
      expect(Object.fromEntries([...types].filter(([name]) => !name.startsWith('nodejs_')))).toEqual(
        expect.objectContaining({
          process_cpu_user_seconds_total: 'counter',
          process_resident_memory_bytes: 'gauge',
          http_request_duration_seconds: 'histogram',
          db_pool_connections: 'gauge',
          db_breaker_state: 'gauge',
          db_breaker_events_total: 'counter',
        }),
      );
      expect(types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');

      const buckets = samples.filter((s) => s.name === 'http_request_duration_seconds_bucket');
      expect(buckets).toContainEqual({
        name: 'http_request_duration_seconds_bucket',
        labels: { le: '+Inf', method: 'GET', route: DELAY_ROUTE, status_class: '2xx' },
        value: expect.any(Number),
      });
      expect(buckets).toContainEqual(
        expect.objectContaining({ labels: expect.objectContaining({ route: '(unmatched)', status_class: '4xx' }) }),
      );
      expect(serverErrorsOf(res.text)).toBe(serverErrorsBefore + 3);
      // Route labels are templates: no raw ids or URLs.
      const routes = new Set(buckets.map((s) => s.labels.route));
      expect([...routes].filter((r) => /\/\d+/.test(r))).toEqual([]);
      expect(Object.keys(buckets[0].labels).sort()).toEqual(['le', 'method', 'route', 'status_class']);

      expect(samples).toContainEqual({ name: 'db_breaker_state', labels: {}, value: 0 });
      expect(samples).toContainEqual({
        name: 'db_pool_connections',
        labels: { pool: 'primary', state: 'total' },
        value: expect.any(Number),
      });
      expect(samples).toContainEqual({
        name: 'db_pool_connections',
        labels: { pool: 'replica-0', state: 'idle' },
        value: expect.any(Number),
      });
    });
  });

  describe('the rendered Kubernetes manifests (kubectl kustomize docker/k8s)', () => {
    it('should probe routes this app serves, open and 200 on a healthy pod', async () => {
      const { only, renderKustomization } = await import('../../../test-support/kustomize');
      type Probe = { httpGet: { path: string } };
      type Deployment = {
        spec: {
          template: { spec: { containers: Record<'startupProbe' | 'livenessProbe' | 'readinessProbe', Probe>[] } };
        };
      };
      const [api] = only<Deployment>(renderKustomization('.'), 'Deployment').spec.template.spec.containers;
      const paths = [api.startupProbe, api.livenessProbe, api.readinessProbe].map((probe) => probe.httpGet.path);

      const statuses = await Promise.all(paths.map(async (path) => [path, (await get(path)).status]));

      expect(statuses).toEqual(paths.map((path) => [path, 200]));
    });

    it('should let the ServiceMonitor scrape its path with the bearer token, and nobody without it', async () => {
      const { only, renderKustomization } = await import('../../../test-support/kustomize');
      type Monitor = { spec: { endpoints: { path: string }[] } };
      const [endpoint] = only<Monitor>(renderKustomization('monitoring'), 'ServiceMonitor').spec.endpoints;

      expect((await get(endpoint.path, AUTH)).status).toBe(200);
      expect((await get(endpoint.path)).status).toBe(401);
    });
  });

  describe('metrics the alert rules and the dashboard query', () => {
    // Not the API's: kube-state-metrics serves the Deployment's replica counts.
    const FROM_KUBE_STATE_METRICS = [
      'kube_deployment_status_replicas_unavailable',
      'kube_deployment_status_replicas_available',
    ];
    // Served once the backup work (npm run backup / backup:verify) reports to /metrics; listed here
    // by name, exactly these three, until it lands.
    const FROM_BACKUP_WORK = [
      'pn_backup_last_success_timestamp_seconds',
      'pn_backup_last_verified_timestamp_seconds',
      'pn_backup_last_verify_ok',
    ];

    it('should all be served by /metrics', async () => {
      const { monitoringQueries, metricNames } = await import('../../../test-support/monitoring-queries');
      await get('/api/tags');
      const { types, samples } = parsePrometheus((await get('/metrics', AUTH)).text);
      const SERIES_OF: Record<string, string[]> = {
        histogram: ['_bucket', '_sum', '_count'],
        summary: ['', '_sum', '_count'],
      };
      const served = new Set([
        ...[...types].flatMap(([name, type]) => (SERIES_OF[type] ?? ['']).map((suffix) => name + suffix)),
        ...samples.map((sample) => sample.name),
      ]);
      const used = [...new Set(monitoringQueries().flatMap(metricNames))].sort();

      const missing = used.filter((name) => !served.has(name));

      expect(used.length).toBeGreaterThan(15);
      expect(missing.sort()).toEqual(
        [...FROM_KUBE_STATE_METRICS, ...FROM_BACKUP_WORK].filter((n) => !served.has(n)).sort(),
      );
      expect(
        missing.filter((name) => !FROM_KUBE_STATE_METRICS.includes(name) && !FROM_BACKUP_WORK.includes(name)),
      ).toEqual([]);
    });

    it('should probe each replica and report the memory limit the memory alert divides by', async () => {
      const { samples } = parsePrometheus((await get('/metrics', AUTH)).text);

      // The shared server stands in for a replica but is no standby: never used for reads, its lag unknown.
      const replicaUp = samples.filter((s) => s.name === 'db_replica_up');
      expect(replicaUp).toEqual([{ name: 'db_replica_up', labels: { replica: expect.any(String) }, value: 0 }]);
      expect(samples.filter((s) => s.name === 'db_replica_lag_seconds')).toEqual([]);
      expect(samples).toContainEqual({ name: 'pn_memory_limit_bytes', labels: {}, value: expect.any(Number) });
      expect(samples).toContainEqual({ name: 'pn_cache_redis_breaker_state', labels: {}, value: 0 });
    });
  });

  describe('GET /docs-json', () => {
    it('should document the monitoring routes with the MonitoringToken bearer scheme and a 401', async () => {
      const res = await get('/docs-json');

      await expect(SwaggerParser.validate(structuredClone(res.body))).resolves.toEqual(
        expect.objectContaining({ openapi: res.body.openapi }),
      );
      expect(res.body.components.securitySchemes.MonitoringToken).toEqual(
        expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      );
      for (const path of MONITORING_ROUTES) {
        const op = res.body.paths[path].get;
        expect({ path, tags: op.tags, security: op.security, has401: '401' in op.responses }).toEqual({
          path,
          tags: ['monitoring'],
          security: [{ MonitoringToken: [] }],
          has401: true,
        });
      }
      expect(res.body.paths['/api/monitoring/performance'].get.operationId).toBe('getPerformance');
      // The bodies match what the document promises.
      const validator = new OpenApiResponseValidator(res.body);
      for (const url of ['/api/monitoring/database/health', '/api/monitoring/performance', '/health', '/health/live']) {
        const answer = await get(url, AUTH);
        expect({ url, problems: validator.check('get', url, answer.status, answer.body) }).toEqual({
          url,
          problems: [],
        });
      }
      expect(res.body.paths['/api/monitoring/database/health'].get.operationId).toBe('getDatabaseHealth');
    });
  });
});
