/** Milliseconds (or seconds) to three decimals: enough for latency, readable in JSON. */
export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
