import {
  alertRules,
  dashboardPanels,
  PROMETHEUS_RULE_FILE,
  readYaml,
  RULES_FILE,
  RULES_TEST_FILE,
  type RuleGroups,
} from '../../test-support/monitoring-queries';

interface RuleTests {
  rule_files: string[];
  tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
}

/** What the issue asks the alerts to cover, by the metric each must read. */
const REQUIRED_COVERAGE: Record<string, string> = {
  'a breaker open': 'db_breaker_state',
  '5xx ratio': 'status_class="5xx"',
  'p99 latency over target': 'histogram_quantile(0.99',
  'pods not ready': 'kube_deployment_status_replicas_unavailable',
  'replica lag': 'db_replica_lag_seconds',
  'last verified backup older than 26 h': 'pn_backup_last_verified_timestamp_seconds',
  'cache hit ratio collapse': 'pn_cache_hits_total',
  'event-loop lag': 'nodejs_eventloop_lag_p99_seconds',
  'memory near the limit': 'pn_memory_limit_bytes',
};

describe('Alert rules', () => {
  const rules = alertRules();

  it('should keep the PrometheusRule identical to the rules file (node scripts/prometheus-rule.mjs)', () => {
    const manifest = readYaml<{ kind: string; spec: RuleGroups }>(PROMETHEUS_RULE_FILE);

    expect(manifest.kind).toBe('PrometheusRule');
    expect(manifest.spec.groups).toEqual(readYaml<RuleGroups>(RULES_FILE).groups);
  });

  it.each(Object.entries(REQUIRED_COVERAGE))('should alert on %s', (_what, needle) => {
    expect(rules.filter((rule) => rule.expr.includes(needle)).map((rule) => rule.alert)).not.toEqual([]);
  });

  it('should give every rule a severity, a summary and a description', () => {
    for (const rule of rules) {
      expect({ alert: rule.alert, severity: rule.labels?.severity }).toEqual({
        alert: rule.alert,
        severity: expect.stringMatching(/^(warning|critical)$/),
      });
      expect(Object.keys(rule.annotations ?? {}).sort()).toEqual(['description', 'summary']);
    }
  });

  it('should have a promtool unit test in which every rule fires, and one in which it stays silent', () => {
    const suite = readYaml<RuleTests>(RULES_TEST_FILE);
    const cases = suite.tests.flatMap((test) => test.alert_rule_test ?? []);
    const coverage = rules.map((rule) => {
      const own = cases.filter((c) => c.alertname === rule.alert);
      return {
        alert: rule.alert,
        fires: own.some((c) => c.exp_alerts.length > 0),
        silent: own.some((c) => c.exp_alerts.length === 0),
      };
    });

    expect(suite.rule_files).toEqual(['alerts.rules.yml']);
    expect(coverage).toEqual(rules.map((rule) => ({ alert: rule.alert, fires: true, silent: true })));
  });
});

describe('Grafana dashboard', () => {
  const panels = dashboardPanels();
  const queries = panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));

  it.each([
    ['request rate', 'rate(http_request_duration_seconds_count'],
    ['latency percentiles', 'histogram_quantile(0.99'],
    ['errors', 'status_class="5xx"'],
    ['cache tiers', 'sum by (tier) (rate(pn_cache_hits_total'],
    ['pool', 'db_pool_connections'],
    ['breakers', 'pn_cache_redis_breaker_state'],
    ['replicas', 'db_replica_lag_seconds'],
    ['backups', 'pn_backup_last_verified_timestamp_seconds'],
  ])('should chart %s', (_what, needle) => {
    expect(queries.filter((query) => query.includes(needle))).not.toEqual([]);
  });

  it('should query the provisioned Prometheus data source, scoped to the API job', () => {
    const withTargets = panels.filter((panel) => panel.targets);

    expect(new Set(withTargets.map((panel) => panel.datasource?.uid))).toEqual(new Set(['prometheus']));
    // Every selector names the job: other Node services' process_* and nodejs_* metrics are not ours.
    for (const query of queries)
      expect({ query, scoped: /\{[^}]*job="prepnexus-api"/.test(query) }).toEqual({
        query,
        scoped: true,
      });
  });
});
