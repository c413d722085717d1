import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { K8S_DIR, only, renderKustomization, type K8sObject } from '../../test-support/kustomize';

interface Probe {
  httpGet: { path: string; port: string | number };
  periodSeconds: number;
  failureThreshold: number;
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: { name: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] }; sleep?: { seconds: number } } };
}
interface PodSpec {
  terminationGracePeriodSeconds?: number;
  containers: Container[];
  topologySpreadConstraints?: { topologyKey: string }[];
}
type Workload = K8sObject & { spec: { replicas?: number; template: { spec: PodSpec } } };

const MI = 1024 * 1024;
function bytes(quantity: string): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`unexpected quantity ${quantity}`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 * MI : MI);
}

/** Seconds a preStop hook holds the container before SIGTERM: `sleep N` (exec) or the sleep action. */
function preStopSeconds(container: Container): number {
  const hook = container.lifecycle?.preStop;
  if (!hook) return 0;
  if (hook.sleep) return hook.sleep.seconds;
  const sleep = hook.exec?.command.join(' ').match(/sleep\s+(\d+)/);
  if (!sleep) throw new Error(`preStop of ${container.name}: cannot tell how long it takes`);
  return Number(sleep[1]);
}

describe('Kubernetes manifests (rendered with kubectl kustomize)', () => {
  const app = renderKustomization('.');
  const migrate = renderKustomization('migrate');
  const monitoring = renderKustomization('monitoring');
  const deployment = only<Workload>(app, 'Deployment');
  const job = only<Workload>(migrate, 'Job');
  const api = deployment.spec.template.spec.containers[0];
  const migrator = job.spec.template.spec.containers[0];
  const config = only(app, 'ConfigMap').data!;
  const secretExample = load(readFileSync(join(K8S_DIR, 'secret.example.yaml'), 'utf8')) as K8sObject;

  describe('scaling and disruption', () => {
    it('should leave the replica count to the HPA', () => {
      const hpa = only<K8sObject & { spec: { scaleTargetRef: { kind: string; name: string } } }>(
        app,
        'HorizontalPodAutoscaler',
      );

      expect(hpa.spec.scaleTargetRef).toEqual(
        expect.objectContaining({ kind: 'Deployment', name: deployment.metadata.name }),
      );
      expect(deployment.spec).not.toHaveProperty('replicas');
    });

    it('should let a drain evict one pod at a time', () => {
      expect(only(app, 'PodDisruptionBudget').spec).toEqual(expect.objectContaining({ maxUnavailable: 1 }));
      expect(only(app, 'PodDisruptionBudget').spec).not.toHaveProperty('minAvailable');
    });

    it('should spread pods over zones, then nodes', () => {
      const keys = (deployment.spec.template.spec.topologySpreadConstraints ?? []).map((c) => c.topologyKey);

      expect(keys).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    });
  });

  describe('memory and CPU', () => {
    it.each([
      ['api', () => api],
      ['migrate', () => migrator],
    ])('should request what it may use (requests = limits): %s', (_name, container) => {
      const { requests, limits } = container().resources;

      expect(requests).toEqual(limits);
    });

    it('should fit the heap cap and both cache tiers (CACHE_L1_MAX_MB each) in the limit, with room for native memory', () => {
      const limit = bytes(api.resources.limits.memory);
      const nodeOptions = api.env?.find((e) => e.name === 'NODE_OPTIONS')?.value ?? '';
      const heap = Number(/--max-old-space-size=(\d+)/.exec(nodeOptions)?.[1]) * MI;
      const caches = 2 * Number(config.CACHE_L1_MAX_MB) * MI;

      expect(heap).toBeGreaterThan(0);
      // At least 128 MiB for the young generation, code, stacks and native buffers.
      expect(heap + caches + 128 * MI).toBeLessThanOrEqual(limit);
      // Measured peak RSS 267 MiB, target <= 300: the limit keeps headroom above it.
      expect(limit).toBeGreaterThanOrEqual(300 * MI * 1.5);
    });
  });

  describe('probes and shutdown', () => {
    it('should probe the container port the app listens on (PORT)', () => {
      const http = api.ports?.find((p) => p.name === 'http');
      const ports = [api.startupProbe, api.livenessProbe, api.readinessProbe].map((p) => p?.httpGet.port);

      expect(http?.containerPort).toBe(Number(config.PORT));
      expect(ports).toEqual(['http', 'http', 'http']);
    });

    it('should probe the health routes, the startup probe waiting for boot only', () => {
      expect([api.startupProbe, api.livenessProbe, api.readinessProbe].map((p) => p?.httpGet.path)).toEqual([
        '/health/startup',
        '/health/live',
        '/health/ready',
      ]);
      // Boot takes seconds; migrations are not its business (the Job ran before the rollout).
      const startupBudget = api.startupProbe!.periodSeconds * api.startupProbe!.failureThreshold;
      expect(startupBudget).toBeLessThanOrEqual(120);
    });

    it('should give the pod longer to stop than SHUTDOWN_GRACE_MS plus the preStop hook', () => {
      const grace = deployment.spec.template.spec.terminationGracePeriodSeconds ?? 30;

      expect(grace).toBeGreaterThan(Number(config.SHUTDOWN_GRACE_MS) / 1000 + preStopSeconds(api));
    });
  });

  describe('configuration and release', () => {
    it('should name the ConfigMap by its content, and point both workloads at that name', () => {
      const name = only(app, 'ConfigMap').metadata.name;
      const refs = [api, migrator].flatMap((c) =>
        (c.envFrom ?? []).flatMap((e) => (e.configMapRef ? [e.configMapRef.name] : [])),
      );

      expect(name).toMatch(/^prepnexus-api-config-[a-z0-9]{10}$/);
      expect(only(migrate, 'ConfigMap').metadata.name).toBe(name);
      expect(refs).toEqual([name, name]);
    });

    it('should run the migration Job from its own kustomization, with the same image as the Deployment', () => {
      expect(app.filter((o) => o.kind === 'Job')).toEqual([]);
      expect(migrator.image).toBe(api.image);
      expect(api.image).toMatch(/^prepnexus-api:.+/);
    });

    it('should run the one-shot migration under an init (tini), with database settings only', () => {
      expect(migrator.command?.slice(0, 3)).toEqual(['/usr/bin/tini', '--', 'node']);
      expect(migrator.envFrom?.some((e) => e.secretRef)).toBe(false);
      expect(migrator.env?.flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef.key] : []))).toEqual([
        'DB_USER',
        'DB_PASSWORD',
      ]);
    });
  });

  describe('Secret keys', () => {
    const documented = Object.keys(secretExample.stringData ?? {});
    const docs = readFileSync(join(K8S_DIR, '..', 'README.md'), 'utf8');
    const secretName = secretExample.metadata.name;

    it('should document every key the manifests read from the Secret (secret.example.yaml and docker/README.md)', () => {
      const monitor = only<
        K8sObject & { spec: { endpoints: { authorization: { credentials: { name: string; key: string } } }[] } }
      >(monitoring, 'ServiceMonitor');
      const referenced = [
        ...[api, migrator].flatMap((c) =>
          (c.env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef] : [])),
        ),
        ...monitor.spec.endpoints.map((e) => e.authorization.credentials),
      ];

      expect(referenced.length).toBeGreaterThan(0);
      for (const { name, key } of referenced) {
        expect({ name, key, inExample: documented.includes(key), inReadme: docs.includes(key) }).toEqual({
          name: secretName,
          key,
          inExample: true,
          inReadme: true,
        });
      }
    });

    it('should take the whole Secret into the api only by the documented name', () => {
      const secretRefs = (api.envFrom ?? []).flatMap((e) => (e.secretRef ? [e.secretRef.name] : []));

      expect(secretRefs).toEqual([secretName]);
      for (const key of documented) expect({ key, inReadme: docs.includes(key) }).toEqual({ key, inReadme: true });
    });
  });

  describe('network and monitoring', () => {
    type Ports = { ports: { port: string | number }[] }[];
    type Selector = { matchLabels: Record<string, string> };

    it('should admit HTTP to the API pods and allow only DNS, PostgreSQL and Redis out', () => {
      const policy = only<
        K8sObject & { spec: { podSelector: Selector; policyTypes: string[]; ingress: Ports; egress: Ports } }
      >(app, 'NetworkPolicy');
      const ports = (rules: Ports) => rules.flatMap((rule) => rule.ports.map((p) => String(p.port))).sort();

      expect(policy.spec.podSelector).toEqual((deployment.spec as unknown as { selector: Selector }).selector);
      expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(ports(policy.spec.ingress)).toEqual(['http']);
      expect(ports(policy.spec.egress)).toEqual(['53', '53', '5432', '6379']);
    });

    it('should scrape /metrics on the http port of the API Service with the monitoring token', () => {
      const monitor = only<K8sObject & { spec: { selector: Selector; endpoints: { port: string }[] } }>(
        monitoring,
        'ServiceMonitor',
      );
      const service = only<K8sObject & { spec: { ports: { name: string }[] } }>(app, 'Service');

      for (const [label, value] of Object.entries(monitor.spec.selector.matchLabels)) {
        expect({ label, value: service.metadata.labels?.[label] }).toEqual({ label, value });
      }
      expect(service.spec.ports.map((p) => p.name)).toContain(monitor.spec.endpoints[0].port);
      expect(monitor.spec.endpoints[0]).toEqual(
        expect.objectContaining({
          path: '/metrics',
          authorization: { type: 'Bearer', credentials: expect.objectContaining({ key: 'MONITORING_TOKEN' }) },
        }),
      );
      expect(only(monitoring, 'PrometheusRule').metadata.name).toBe('prepnexus-api');
    });
  });
});
