// The benchmark's ceiling: bare Fastify answering with fixed bytes (the app's cached list response).
// Run as a child process: node raw-fastify.mjs <port> <body-file>
import Fastify from 'fastify';
import { readFileSync } from 'node:fs';

const [port, bodyFile] = process.argv.slice(2);
const body = readFileSync(bodyFile);
const app = Fastify({ logger: false });
app.get('/api/articles', (_request, reply) => {
  void reply.header('content-type', 'application/json; charset=utf-8').send(body);
});
await app.listen({ port: Number(port), host: '127.0.0.1' });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
