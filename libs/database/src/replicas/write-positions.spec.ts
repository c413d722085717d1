import { formatLsn, parseLsn } from './lsn';
import { WritePositions } from './write-positions';

describe('parseLsn / formatLsn', () => {
  it('should read both 32-bit halves, so positions compare across a segment boundary', () => {
    expect(parseLsn('0/FFFFFFFF')! < parseLsn('1/0')!).toBe(true);
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) | 0xb374d848n);
    expect(formatLsn(parseLsn('16/B374D848')!)).toBe('16/B374D848');
  });

  it.each([undefined, 42, '', '16', '16/', 'x/1', '1/2/3', '123456789/0'])('should refuse %p', (text) => {
    expect(parseLsn(text)).toBeUndefined();
  });
});

describe(WritePositions.name, () => {
  it('should know nothing before a write', () => {
    const sut = new WritePositions();

    expect(sut.newest()).toBeUndefined();
    expect(sut.newestPosition).toBe(0n);
  });

  it('should keep the newest of its own writes and those heard of, never going back', () => {
    const sut = new WritePositions();

    sut.noteWrite('0/3000000');
    sut.heard('0/5000000');
    sut.noteWrite('0/4000000');

    expect(sut.newest()).toBe('0/5000000');
  });

  it('should ignore a malformed position from the wire', () => {
    const sut = new WritePositions();
    sut.noteWrite('0/10');

    sut.heard('not an lsn');
    sut.heard({ lsn: '9/0' });

    expect(sut.newest()).toBe('0/10');
  });

  it('should date a delay from the oldest known write not yet replayed', () => {
    const sut = new WritePositions();
    jest.spyOn(Date, 'now').mockReturnValueOnce(1_000).mockReturnValueOnce(1_500);
    sut.noteWrite('0/100');
    sut.noteWrite('0/200');

    expect(sut.delayOf(parseLsn('0/50')!, 2_000)).toBe(1_000);
    expect(sut.delayOf(parseLsn('0/100')!, 2_000)).toBe(500);
    expect(sut.delayOf(parseLsn('0/200')!, 2_000)).toBe(0);
  });

  it('should forget the dates of writes every replica has, keeping the newest', () => {
    const sut = new WritePositions();
    jest.spyOn(Date, 'now').mockReturnValueOnce(1_000).mockReturnValueOnce(1_500);
    sut.noteWrite('0/100');
    sut.noteWrite('0/200');

    sut.forgetReplayed(parseLsn('0/300')!);

    expect(sut.delayOf(parseLsn('0/150')!, 2_000)).toBe(500);
  });
});
