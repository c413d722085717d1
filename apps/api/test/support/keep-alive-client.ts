import { Agent, request, type IncomingHttpHeaders } from 'node:http';

/** What one request came to: an answer, or an error, and whether it went out on a reused connection. */
export interface Outcome {
  sentAt: number;
  endedAt: number;
  /** True when the request was written on a kept-alive connection that had already carried a response. */
  reusedSocket: boolean;
  status?: number;
  headers?: IncomingHttpHeaders;
  body?: string;
  errorCode?: string;
}

/**
 * One kept-alive connection at a time (maxSockets 1), as a client behind a pooling proxy would use it:
 * Node's Agent reuses the socket until a response says `Connection: close`, then opens a new one.
 */
export class KeepAliveClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });

  constructor(private readonly baseUrl: string) {}

  send(method: string, path: string, json?: unknown, headers: Record<string, string> = {}): Promise<Outcome> {
    const payload = json === undefined ? undefined : JSON.stringify(json);
    const sentAt = performance.now();
    return new Promise((resolve) => {
      const req = request(`${this.baseUrl}${path}`, {
        method,
        agent: this.agent,
        headers: payload
          ? { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }
          : headers,
      });
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolve({
            sentAt,
            endedAt: performance.now(),
            reusedSocket: req.reusedSocket,
            status: res.statusCode,
            headers: res.headers,
            body,
          }),
        );
      });
      req.on('error', (err: NodeJS.ErrnoException) =>
        resolve({
          sentAt,
          endedAt: performance.now(),
          reusedSocket: req.reusedSocket,
          errorCode: err.code ?? err.message,
        }),
      );
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
