/** Must equal MONITORING_AUTH in apps/api/src/http/swagger.ts, where the bearer scheme is declared. */
export const MONITORING_SECURITY_SCHEME = 'MonitoringToken';

/** Readiness pings the primary with this bound: a dead database must show as 503 well within 2 s. */
export const DATABASE_PING_TIMEOUT_MS = 1000;

/** Replica checks may be slower (remote hosts) but must still never hang a monitoring request. */
export const REPLICA_CHECK_TIMEOUT_MS = 1500;

/** Recent samples kept per route for percentiles: bounded memory, exact nearest-rank over the window. */
export const ROUTE_SAMPLE_WINDOW = 1024;

/** The one label for requests no route matched (404s, scanners): raw URLs never become labels. */
export const UNMATCHED_ROUTE = '(unmatched)';
