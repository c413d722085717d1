/**
 * PostgreSQL WAL positions (`pg_lsn`, written `16/B374D848`: two 32-bit hex halves) as bigints, so they
 * compare and subtract (bytes of WAL between two positions).
 */
export type Lsn = bigint;

const LSN_TEXT = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/** The position, or undefined for anything that is not an LSN's text (e.g. from another instance's message). */
export function parseLsn(text: unknown): Lsn | undefined {
  if (typeof text !== 'string') return undefined;
  const match = LSN_TEXT.exec(text);
  if (match === null) return undefined;
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

export function formatLsn(lsn: Lsn): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}
