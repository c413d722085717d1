import type { ArgumentMetadata } from '@nestjs/common';
import { createValidationPipe } from './validation.pipe';

const numberParam: ArgumentMetadata = { type: 'param', metatype: Number, data: 'id' };

describe(createValidationPipe.name, () => {
  const sut = createValidationPipe();

  describe('a number param', () => {
    it('should convert decimal digits', async () => {
      await expect(sut.transform('12', numberParam)).resolves.toBe(12);
    });

    // Found by the fuzz suite: `+value` made DELETE /api/articles/:slug/comments/1.0 delete comment 1.
    it.each(['1.0', '+1', ' 1', '1 ', '0x1', '1e0', '-1', '١'])(
      'should leave %j as text for the route to refuse',
      async (text) => {
        await expect(sut.transform(text, numberParam)).resolves.toBe(text);
      },
    );
  });
});
