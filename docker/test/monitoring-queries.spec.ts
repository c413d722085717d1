import { metricNames } from '../../test-support/monitoring-queries';

describe(metricNames.name, () => {
  it('should find the metrics of a rule, not its functions, labels, ranges or keywords', () => {
    const expr = `(
      sum(rate(http_request_duration_seconds_count{job="prepnexus-api", status_class="5xx"}[5m]))
      / sum by (instance, le) (rate(other_metric_total{route!="(unmatched)"}[$__rate_interval]))
    ) > 0.05 and on (instance) time() - max(pn_backup_last_verified_timestamp_seconds) > 26 * 3600`;

    expect(metricNames(expr).sort()).toEqual([
      'http_request_duration_seconds_count',
      'other_metric_total',
      'pn_backup_last_verified_timestamp_seconds',
    ]);
  });

  it('should find a bare selector', () => {
    expect(metricNames('db_breaker_state == 2')).toEqual(['db_breaker_state']);
  });
});
