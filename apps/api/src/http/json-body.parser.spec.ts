import { BadRequestException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createJsonBodyParser, MAX_JSON_DEPTH, nestsDeeperThan, TOO_DEEP_MESSAGE } from './json-body.parser';

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe(nestsDeeperThan.name, () => {
  it('should allow exactly the limit and refuse one level more', () => {
    expect(nestsDeeperThan(nested(3), 3)).toBe(false);
    expect(nestsDeeperThan(nested(4), 3)).toBe(true);
    expect(nestsDeeperThan('{"a":{"b":{"c":[1]}}}', 3)).toBe(true);
    expect(nestsDeeperThan('[[1],[2],[3],{"a":[]}]', 3)).toBe(false);
  });

  it.each([
    ['brackets in a string', '["[[[[{{{{"]'],
    ['an escaped quote', '["\\"[[[[[[", 1]'],
    ['an escaped backslash before the closing quote', '["\\\\", "[[[[[["]'],
  ])('should not count %s', (_name, json) => {
    expect(() => JSON.parse(json) as unknown).not.toThrow();
    expect(nestsDeeperThan(json, 2)).toBe(false);
  });

  it('should count a bracket after a string whose last character is an escaped backslash', () => {
    expect(nestsDeeperThan('["\\\\",[[[]]]]', 3)).toBe(true);
  });

  it('should leave an unterminated string to JSON.parse', () => {
    expect(nestsDeeperThan('["[[[[[[', 2)).toBe(false);
  });

  it('should stop at the first level too many', () => {
    const hostile = Buffer.from('['.repeat(100_000)).toString('utf8'); // flat, as a parsed body is
    const started = performance.now();
    expect(nestsDeeperThan(hostile, MAX_JSON_DEPTH)).toBe(true);
    expect(performance.now() - started).toBeLessThan(5);
  });
});

describe(createJsonBodyParser.name, () => {
  const request = {} as FastifyRequest;
  const parse = (body: string) => {
    const fastifyJson = jest.fn(
      (_request: FastifyRequest, text: string, done: (e: Error | null, v?: unknown) => void) =>
        done(null, JSON.parse(text)),
    );
    const done = jest.fn();
    createJsonBodyParser(fastifyJson)(request, Buffer.from(body), done);
    return { fastifyJson, done };
  };

  it('should take an empty body as no body', () => {
    const { fastifyJson, done } = parse('');
    expect(done).toHaveBeenCalledWith(null, undefined);
    expect(fastifyJson).not.toHaveBeenCalled();
  });

  it('should refuse a body nested too deep with 400 in the envelope, without parsing it', () => {
    const { fastifyJson, done } = parse(nested(MAX_JSON_DEPTH + 1));
    expect(fastifyJson).not.toHaveBeenCalled();
    const error = (done.mock.calls[0] as [BadRequestException])[0];
    expect(error).toBeInstanceOf(BadRequestException);
    expect(error.getResponse()).toEqual({ errors: { body: [TOO_DEEP_MESSAGE] } });
  });

  it("should give anything else to Fastify's parser as text", () => {
    const { fastifyJson, done } = parse('{"user":{"bio":"é"}}');
    expect(fastifyJson).toHaveBeenCalledWith(request, '{"user":{"bio":"é"}}', done);
    expect(done).toHaveBeenCalledWith(null, { user: { bio: 'é' } });
  });
});
