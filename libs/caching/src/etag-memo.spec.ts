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

    describe('memory', () => {
      // Hashing is what the memo saves: counting it shows whether an answer came from memory. The
      // spy goes on the module object itself (an `import *` namespace would be a copy).
      let hashing: jest.SpyInstance;
      beforeEach(() => {
        hashing = jest.spyOn(jest.requireActual<typeof import('node:crypto')>('node:crypto'), 'createHash');
      });
      afterEach(() => {
        hashing.mockRestore();
      });

      it('should answer a remembered body from memory, without hashing it again', () => {
        const sut = new EtagMemo(2);
        const etag = sut.etagOf('{"a":1}', true);

        expect(sut.etagOf('{"a":1}', false)).toBe(etag);
        expect(sut.etagOf('{"a":1}', true)).toBe(etag);
        expect(hashing).toHaveBeenCalledTimes(1);
      });

      it('should hash a body it was not asked to remember every time', () => {
        const sut = new EtagMemo(2);
        sut.etagOf('{"a":1}', false);
        sut.etagOf('{"a":1}', false);

        expect(hashing).toHaveBeenCalledTimes(2);
      });

      it('should stay bounded, forgetting the oldest body first', () => {
        const sut = new EtagMemo(2);
        for (const body of ['{"a":1}', '{"b":2}', '{"c":3}']) sut.etagOf(body, true);
        hashing.mockClear();

        sut.etagOf('{"c":3}', false);
        sut.etagOf('{"b":2}', false);
        expect(hashing).not.toHaveBeenCalled();
        expect(sut.etagOf('{"a":1}', false)).toBe(strongEtag('{"a":1}'));
        // Once for the forgotten body, once for strongEtag in the assertion.
        expect(hashing).toHaveBeenCalledTimes(2);
      });
    });

    it('should change with a single byte', () => {
      const sut = new EtagMemo();
      expect(sut.etagOf('{"a":1}', true)).not.toBe(sut.etagOf('{"a":2}', true));
    });
  });
});
