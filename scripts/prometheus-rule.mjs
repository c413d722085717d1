// Writes docker/k8s/monitoring/prometheus-rule.yaml (a Prometheus Operator PrometheusRule) from the
// plain rules file docker/monitoring/alerts.rules.yml, so the two never drift: edit the rules file,
// then run `node scripts/prometheus-rule.mjs` (docker/test/alert-rules.spec.ts fails when they differ).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dump, load } from 'js-yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const RULES_FILE = join(root, 'docker/monitoring/alerts.rules.yml');
export const PROMETHEUS_RULE_FILE = join(root, 'docker/k8s/monitoring/prometheus-rule.yaml');

const HEADER = `# GENERATED from docker/monitoring/alerts.rules.yml by \`node scripts/prometheus-rule.mjs\`: edit that
# file, not this one. Needs the Prometheus Operator's CRDs (applied with docker/k8s/monitoring).
`;

export function prometheusRule(rules) {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: 'prepnexus-api',
      labels: { 'app.kubernetes.io/name': 'prepnexus-api', 'app.kubernetes.io/component': 'alerts' },
    },
    spec: { groups: rules.groups },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rules = load(readFileSync(RULES_FILE, 'utf8'));
  writeFileSync(PROMETHEUS_RULE_FILE, HEADER + dump(prometheusRule(rules), { lineWidth: 120, noRefs: true }));
  console.log(`wrote ${PROMETHEUS_RULE_FILE} (${rules.groups.flatMap((g) => g.rules).length} rules)`);
}
