import { createHash } from 'node:crypto';
import { EtagMemo, strongEtag } from './etag-memo';

describe(EtagMemo.name, () => {
  describe('etagOf', () => {
    it('should give the quoted base64url SHA-1 of the UTF-8 bytes', () => {
      const sut = new EtagMemo();
      const body = '{"tags":["café"]}';
      expect(sut.etagOf(body, true)).toBe(
        `"${createHash('sha1').update(Buffer.from(body, 'utf8')).digest('base64url')}"`,
      );
    });

    it('should answer from memory for a remembered body, and stay bounded', () => {
      const sut = new EtagMemo(2);
      const first = sut.etagOf('{"a":1}', true);
      sut.etagOf('{"b":2}', true);
      sut.etagOf('{"c":3}', true);

      expect(sut.etagOf('{"a":1}', false)).toBe(first);
      expect(sut.etagOf('{"c":3}', false)).toBe(strongEtag('{"c":3}'));
    });

    it('should change with a single byte', () => {
      const sut = new EtagMemo();
      expect(sut.etagOf('{"a":1}', true)).not.toBe(sut.etagOf('{"a":2}', true));
    });
  });
});
