// Fails fast, in one line, when PostgreSQL or Redis is not answering: never a hang or a wall of errors.
import { createConnection } from 'node:net';

const services = [
  {
    name: 'PostgreSQL',
    host: process.env.DB_HOST ?? '127.0.0.1',
    port: Number(process.env.DB_PORT ?? 5432),
    start: 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
  },
  {
    name: 'Redis',
    host: process.env.REDIS_HOST ?? '127.0.0.1',
    port: Number(process.env.REDIS_PORT ?? 6379),
    start: 'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no',
  },
];

function reachable({ host, port }) {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port, timeout: 1500 });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

const down = [];
for (const service of services) if (!(await reachable(service))) down.push(service);
for (const s of down) console.error(`${s.name} is not answering on ${s.host}:${s.port}; start it with: ${s.start}`);
process.exit(down.length ? 1 : 0);
