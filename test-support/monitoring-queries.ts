import { load } from 'js-yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
export const RULES_FILE = join(ROOT, 'docker/monitoring/alerts.rules.yml');
export const RULES_TEST_FILE = join(ROOT, 'docker/monitoring/alerts.rules.test.yml');
export const DASHBOARD_FILE = join(ROOT, 'docker/monitoring/grafana/dashboards/prepnexus-api.json');
export const PROMETHEUS_RULE_FILE = join(ROOT, 'docker/k8s/monitoring/prometheus-rule.yaml');

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
export interface RuleGroups {
  groups: { name: string; rules: AlertRule[] }[];
}
interface DashboardPanel {
  title: string;
  targets?: { expr: string }[];
  datasource?: { uid: string };
}

export function readYaml<T>(file: string): T {
  return load(readFileSync(file, 'utf8')) as T;
}

export function alertRules(): AlertRule[] {
  return readYaml<RuleGroups>(RULES_FILE).groups.flatMap((group) => group.rules);
}

export function dashboardPanels(): DashboardPanel[] {
  return (JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as { panels: DashboardPanel[] }).panels;
}

/** Every PromQL expression the alerts and the dashboard evaluate. */
export function monitoringQueries(): string[] {
  return [
    ...alertRules().map((rule) => rule.expr),
    ...dashboardPanels().flatMap((panel) => (panel.targets ?? []).map((target) => target.expr)),
  ];
}

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression selects. Enough PromQL for our queries: strings, label
 * matchers, ranges and grouping clauses are cut out first; what is left that is not a function
 * call, a keyword or a number is a metric name.
 */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$__\w+/g, ' ');
  const names = new Set<string>();
  for (const match of bare.matchAll(/([A-Za-z_:][A-Za-z0-9_:]*)(\s*\()?/g)) {
    const [, name, call] = match;
    if (call || KEYWORDS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return [...names];
}
