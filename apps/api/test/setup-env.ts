// Tests talk to the real services on this machine; CI may override any of these.
process.env.NODE_ENV ??= 'test';
process.env.DB_HOST ??= '127.0.0.1';
process.env.DB_PORT ??= '5432';
process.env.DB_NAME ??= 'prepnexus_test';
process.env.DB_USER ??= 'prepnexus';
process.env.DB_PASSWORD ??= 'prepnexus';
process.env.REDIS_HOST ??= '127.0.0.1';
process.env.REDIS_PORT ??= '6379';
process.env.JWT_SECRET ??= 'test-only-jwt-secret-0123456789abcdefghijklmnop';
process.env.LOG_LEVEL ??= 'silent';
// The suites register and log in far more often than a person; rate-limit.e2e-spec.ts tests the limit.
process.env.AUTH_RATE_LIMIT_PER_MIN ??= '100000';
