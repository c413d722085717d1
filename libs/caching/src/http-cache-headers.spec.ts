import { createHash } from 'node:crypto';
import { strongEtag } from './http-cache-headers';

describe(strongEtag.name, () => {
  it('should give the quoted base64url SHA-1 of the UTF-8 bytes', () => {
    const body = '{"tags":["café"]}';
    expect(strongEtag(body)).toBe(`"${createHash('sha1').update(Buffer.from(body, 'utf8')).digest('base64url')}"`);
  });

  it('should change with a single byte', () => {
    expect(strongEtag('{"a":1}')).not.toBe(strongEtag('{"a":2}'));
  });
});
