import type { Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

// Node keeps the response a keep-alive socket is serving on `socket._httpMessage` (null between
// requests); graceful closers (http-terminator, stoppable) read it the same way.
type HttpSocket = Socket & { _httpMessage?: ServerResponse | null };

const POLL_MS = 20;

/**
 * The server's open connections, so that shutdown can close each one between two requests instead
 * of in the middle of one. Node's `server.close()` alone is not enough: it destroys the connections
 * idle at that instant (a client may be sending on one right then: a request lost with ECONNRESET),
 * and a connection busy at that instant answers `keep-alive` and then stays open, idle, until
 * `keepAliveTimeout` (72 s with Fastify) holds the process up.
 */
export class OpenConnections {
  private readonly sockets = new Set<HttpSocket>();

  constructor(private readonly server: Server) {
    server.on('connection', (socket: HttpSocket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  get size(): number {
    return this.sockets.size;
  }

  /**
   * New connections are refused from now on (the client may retry elsewhere: nothing was sent).
   * Every response still to be written says `Connection: close`, so each client learns not to reuse
   * its connection and Node closes it once the response is sent (requests that arrive meanwhile are
   * answered by the closing gate, with `Connection: close` too). A connection that stays idle for
   * `lingerMs` (a client that sends nothing) is destroyed. Resolves when none is left open.
   */
  async closeAfterCurrentResponses(lingerMs: number): Promise<void> {
    this.stopAccepting();
    const lingerUntil = performance.now() + lingerMs;
    while (this.sockets.size > 0) {
      const lingered = performance.now() >= lingerUntil;
      for (const socket of this.sockets) {
        const response = socket._httpMessage;
        if (response && !response.headersSent) response.setHeader('connection', 'close');
        else if (!response && lingered) socket.destroy();
      }
      await delay(POLL_MS);
    }
  }

  /**
   * The listening socket only: `http.Server#close()` would also destroy the idle kept-alive connections
   * at once, and a client may be writing a request on one of them right then. Nest's close later calls
   * it again, and Fastify and Nest treat ERR_SERVER_NOT_RUNNING as already closed.
   */
  private stopAccepting(): void {
    if (this.server.listening) NetServer.prototype.close.call(this.server);
  }
}
