import { ConfigValidationError, validateEnvironment } from '@app/config';
import { describeStartupError } from './startup-error';

describe(describeStartupError.name, () => {
  const config = validateEnvironment({ DB_HOST: 'db.internal', DB_PORT: '5433', DB_NAME: 'app', DB_USER: 'svc' });

  it('should list configuration problems as they are', () => {
    const err = new ConfigValidationError(['PORT: must be an integer number']);
    expect(describeStartupError(err, null)).toBe(err.message);
  });

  it('should name the unreachable server and what to check, without a stack', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const sut = describeStartupError(err, config);
    expect(sut).toMatch(/^cannot reach PostgreSQL at db\.internal:5433\/app \(ECONNREFUSED\)\. Check DB_HOST/);
    expect(sut).not.toMatch(/\n\s+at /);
  });

  it('should name the user whose credentials were refused, and a missing database', () => {
    expect(describeStartupError(Object.assign(new Error('x'), { code: '28P01' }), config)).toContain('"svc"');
    expect(describeStartupError(Object.assign(new Error('x'), { code: '3D000' }), config)).toContain(
      'the database does not exist',
    );
  });
});
