const CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'];

/** 200 → '2xx': five label values instead of one per status code. */
export function statusClass(statusCode: number): string {
  return CLASSES[Math.floor(statusCode / 100) - 1] ?? 'other';
}
