import { validateEnvironment } from '@app/config';
import { load, YAML11_SCHEMA } from 'js-yaml';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const DOCKER = join(__dirname, '..');
const ROOT = join(DOCKER, '..');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  profiles?: string[];
}
interface Compose {
  services: Record<string, Service>;
  configs?: Record<string, { content?: string; file?: string }>;
}

/** KEY=value lines of an env file; comments and blank lines skipped. */
function envFile(file: string): Record<string, string> {
  const entries = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
  return Object.fromEntries(entries);
}

/** Compose's interpolation for the forms the file uses: ${VAR}, ${VAR:-default}, ${VAR:?message}. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(
    /\$\{([A-Z_][A-Z0-9_]*)(?::([-?])([^}]*))?\}/g,
    (_match, name: string, op?: string, arg?: string) => {
      const set = vars[name];
      if (set) return set;
      if (op === '?') throw new Error(`${name} is required: ${arg}`);
      return op === '-' ? (arg ?? '') : '';
    },
  );
}

describe('docker compose', () => {
  const text = readFileSync(join(DOCKER, 'docker-compose.yml'), 'utf8');
  // Compose reads YAML 1.1 merge keys (`<<: *api-env`).
  const compose = load(text, { schema: YAML11_SCHEMA }) as Compose;
  const example = envFile(join(ROOT, '.env.example'));

  it('should say the recipe this test checks in its header', () => {
    expect(text).toContain('cd docker && cp ../.env.example .env');
  });

  it('should find every required variable (${VAR:?...}) set in .env.example, so the recipe works as written', () => {
    const required = [...new Set([...text.matchAll(/\$\{([A-Z_][A-Z0-9_]*):\?/g)].map((m) => m[1]))].sort();

    expect(required).toEqual(
      expect.arrayContaining([
        'DB_PASSWORD',
        'GRAFANA_ADMIN_PASSWORD',
        'JWT_SECRET',
        'MONITORING_TOKEN',
        'REPLICATION_PASSWORD',
      ]),
    );
    expect(required.filter((name) => !example[name])).toEqual([]);
  });

  it("should give the api, migrate and seed an environment the app's production validation accepts", () => {
    for (const name of ['api', 'migrate', 'seed']) {
      const raw = Object.fromEntries(
        Object.entries(compose.services[name].environment ?? {}).map(([key, value]) => [
          key,
          interpolate(String(value), example),
        ]),
      );

      expect({ name, env: raw.NODE_ENV }).toEqual({ name, env: 'production' });
      expect(() => validateEnvironment(raw)).not.toThrow();
    }
  });

  it('should mount only files that exist', () => {
    const sources = Object.values(compose.services)
      .flatMap((service) => service.volumes ?? [])
      .map((volume) => volume.split(':')[0])
      .filter((source) => source.startsWith('./'));

    expect(sources.length).toBeGreaterThan(4);
    expect(sources.filter((source) => !existsSync(join(DOCKER, source)))).toEqual([]);
  });

  it('should run the one-shot app containers from the app image, whose init is tini', () => {
    const dockerfile = readFileSync(join(DOCKER, 'Dockerfile'), 'utf8');

    expect(dockerfile).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
    for (const name of ['migrate', 'seed']) {
      const service = compose.services[name];
      expect({ name, image: service.image, entrypoint: service.entrypoint }).toEqual({
        name,
        image: compose.services.api.image,
        entrypoint: undefined,
      });
    }
    // The seed refuses production (this stack's NODE_ENV) unless forced: the tool is that decision.
    expect(compose.services.seed.command).toContain('--force');
  });

  it('should provision Prometheus (rules, token) and Grafana (data source, dashboard) from the repository files', () => {
    const prometheus = compose.services.prometheus;
    const grafana = compose.services.grafana;

    expect(prometheus.volumes).toEqual(
      expect.arrayContaining([
        './monitoring/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
        './monitoring/alerts.rules.yml:/etc/prometheus/alerts.rules.yml:ro',
      ]),
    );
    expect(compose.configs?.['monitoring-token']?.content).toBe(
      '${MONITORING_TOKEN:?set MONITORING_TOKEN (at least 16 characters)}',
    );
    const scrape = load(readFileSync(join(DOCKER, 'monitoring/prometheus.yml'), 'utf8')) as {
      rule_files: string[];
      scrape_configs: {
        job_name: string;
        authorization: { credentials_file: string };
        static_configs: { targets: string[] }[];
      }[];
    };
    expect(scrape.rule_files).toEqual(['/etc/prometheus/alerts.rules.yml']);
    expect(scrape.scrape_configs[0]).toEqual(
      expect.objectContaining({
        job_name: 'prepnexus-api',
        authorization: expect.objectContaining({ credentials_file: '/etc/prometheus/monitoring-token' }),
        static_configs: [{ targets: ['api:3000'] }],
      }),
    );
    expect(grafana.volumes).toEqual(
      expect.arrayContaining([
        './monitoring/grafana/provisioning:/etc/grafana/provisioning:ro',
        './monitoring/grafana/dashboards:/var/lib/grafana/dashboards:ro',
      ]),
    );
    const datasources = load(
      readFileSync(join(DOCKER, 'monitoring/grafana/provisioning/datasources/prometheus.yml'), 'utf8'),
    ) as {
      datasources: { uid: string; url: string }[];
    };
    expect(datasources.datasources).toEqual([
      expect.objectContaining({ uid: 'prometheus', url: 'http://prometheus:9090' }),
    ]);
  });

  it('should publish nothing beyond loopback (the api port aside)', () => {
    const dev = load(readFileSync(join(DOCKER, 'docker-compose.dev.yml'), 'utf8'), {
      schema: YAML11_SCHEMA,
    }) as Compose;
    const ports = [
      ...Object.entries(compose.services).filter(([name]) => name !== 'api'),
      ...Object.entries(dev.services),
    ].flatMap(([, service]) => service.ports ?? []);

    expect(ports.length).toBeGreaterThan(3);
    expect(ports.filter((port) => !port.startsWith('127.0.0.1:'))).toEqual([]);
  });
});
