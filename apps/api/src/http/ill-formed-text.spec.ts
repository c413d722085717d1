import { Type } from 'class-transformer';
import { IsArray, IsOptional, IsString, ValidateNested } from 'class-validator';
import { illFormedText, NUL_MESSAGE, SURROGATE_MESSAGE } from './ill-formed-text';

class InnerDto {
  @IsString() name!: string;
  @IsOptional() @IsArray() tags?: string[];
}
class OuterDto {
  @ValidateNested() @Type(() => InnerDto) inner!: InnerDto;
  @IsOptional() @IsString() note?: string;
}

const body = (value: unknown) => illFormedText(value, { type: 'body', metatype: OuterDto });

describe(illFormedText.name, () => {
  it('should accept well-formed text, emoji (paired surrogates) included', () => {
    expect(body({ inner: { name: 'dragon 🐉', tags: ['é', '中'] }, note: '' })).toBeUndefined();
  });

  it('should name each field holding a NUL or an unpaired surrogate, at any depth', () => {
    expect(body({ inner: { name: 'a\u0000b', tags: ['ok', 'x\ud800'] }, note: '\udc00' })).toEqual({
      name: [NUL_MESSAGE],
      tags: [SURROGATE_MESSAGE],
      note: [SURROGATE_MESSAGE],
    });
    expect(body({ inner: { name: '\ud83d' } })).toEqual({ name: [SURROGATE_MESSAGE] });
    expect(body({ inner: { name: 'end\udfff' } })).toEqual({ name: [SURROGATE_MESSAGE] });
  });

  it('should ignore fields the DTO does not declare (the pipe strips them)', () => {
    expect(body({ inner: { name: 'ok', extra: '\u0000' }, '\ud800': '\ud800' })).toBeUndefined();
  });

  it('should leave wrong shapes to the DTO rules', () => {
    expect(body([{ inner: { name: '\u0000' } }])).toBeUndefined();
    expect(body({ inner: ['\u0000'] })).toBeUndefined();
    expect(body('\u0000')).toBeUndefined();
  });

  it('should check a plain string parameter under its name', () => {
    expect(illFormedText('a\u0000', { type: 'param', metatype: String, data: 'slug' })).toEqual({
      slug: [NUL_MESSAGE],
    });
    expect(illFormedText('dragons', { type: 'param', metatype: String, data: 'slug' })).toBeUndefined();
  });
});
