import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEnvironment } from './read-environment';

describe(readEnvironment.name, () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'prepnexus-env-'));
    file = join(dir, '.env');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('should read variables from the .env file', () => {
    writeFileSync(file, 'PORT=4100\n# a comment\nDB_HOST="db.local"\n');
    expect(readEnvironment({}, file)).toEqual({ PORT: '4100', DB_HOST: 'db.local' });
  });

  it('should let the environment win over the .env file, an empty value included', () => {
    writeFileSync(file, 'PORT=4100\nDB_HOST=db.local\nLOG_LEVEL=debug\n');
    expect(readEnvironment({ PORT: '4200', DB_HOST: '' }, file)).toEqual({
      PORT: '4200',
      DB_HOST: '',
      LOG_LEVEL: 'debug',
    });
  });

  it('should ignore the .env file under NODE_ENV=test', () => {
    writeFileSync(file, 'PORT=4100\n');
    expect(readEnvironment({ NODE_ENV: 'test' }, file)).toEqual({ NODE_ENV: 'test' });
  });

  it('should read the environment alone when there is no .env file', () => {
    expect(readEnvironment({ PORT: '4300' }, file)).toEqual({ PORT: '4300' });
  });
});
