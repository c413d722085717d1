import { inspect } from 'node:util';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any constructor signature: we only read the prototype
type Class<T> = abstract new (...args: any[]) => T;

function describeArgs(args: unknown[]): string {
  return args.map((arg) => inspect(arg, { depth: 2, breakLength: Infinity })).join(', ');
}

/** Every method name on the class's prototype chain (inherited ones too), without the constructor. */
function methodNames(type: Class<unknown>): string[] {
  const names = new Set<string>();
  for (let proto: object | null = type.prototype as object; proto && proto !== Object.prototype;) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (name !== 'constructor' && typeof descriptor?.value === 'function') names.add(name);
    }
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return [...names];
}

/**
 * A `jest.Mocked<T>` of a class (immich's "strict auto-mock"): every method throws
 * `unexpected call: Class.method(args)` until a test gives it an implementation, so a service that
 * starts calling a dependency the spec did not foresee fails the spec instead of getting `undefined`.
 * The throw is synchronous, so no `.catch()` in the code under test can swallow it.
 * `mockResolvedValueOnce` and friends fall back to the throw once used up.
 */
export function strictMock<T extends object>(type: Class<T>): jest.Mocked<T> {
  const mock: Record<string, jest.Mock> = {};
  for (const name of methodNames(type)) {
    mock[name] = jest
      .fn()
      .mockName(`${type.name}.${name}`)
      .mockImplementation((...args: unknown[]) => {
        throw new Error(`unexpected call: ${type.name}.${name}(${describeArgs(args)})`);
      });
  }
  return mock as unknown as jest.Mocked<T>;
}
