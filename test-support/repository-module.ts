import { AppConfigModule } from '@app/config';
import { DatabaseModule, DatabaseService } from '@app/database';
import type { Provider, Type } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';

/** What a repository's medium spec reaches through its module once `beforeAll` has run. */
export interface RepositoryModule {
  readonly db: DatabaseService;
  get<T>(type: Type<T>): T;
}

/**
 * The Nest module a repository's medium spec tests against: the app's configuration, the real test
 * database and `providers`. Compiled in a `beforeAll` and closed in an `afterAll` of the calling scope,
 * so a spec's own `beforeAll` (declared after this call) can already use it.
 */
export function repositoryModule(...providers: Provider[]): RepositoryModule {
  let moduleRef: TestingModule | undefined;
  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot(), DatabaseModule],
      providers,
    }).compile();
  });
  afterAll(() => moduleRef?.close());

  const compiled = (): TestingModule => {
    if (moduleRef === undefined) throw new Error('repositoryModule: used before its beforeAll ran');
    return moduleRef;
  };
  return {
    get db() {
      return compiled().get(DatabaseService);
    },
    get: (type) => compiled().get(type),
  };
}
