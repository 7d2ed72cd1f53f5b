// The hello app: a dependency-free HTTP server for trying shoal.
//   /health       -> 200 "ok"
//   /slow?ms=N    -> answers after N ms (drain tests)
//   /burn?ms=N    -> keeps a CPU busy for N ms, then answers (scaling tests)
//   /stress?seconds=N -> as `stress --cpu 1 --timeout N` run inside the
//                    instance: a child process keeps one CPU busy for N s
//                    (at most 600; 0 stops it); answers at once
//   anything else -> who answered: instance id, address, zone, the path
// Listens on HOST:PORT (shoal sets both). On SIGTERM it stops accepting,
// lets in-flight requests finish, and exits 0.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { hostname } from 'node:os';

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 8080);
const instanceId = process.env.INSTANCE_ID ?? 'local';
const zone = process.env.AVAILABILITY_ZONE ?? 'none';
const version = process.env.LAUNCH_TEMPLATE_VERSION ?? '-';

function reply(res, status, body) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-instance-id': instanceId });
  res.end(body);
}

function burn(ms) {
  const end = Date.now() + ms;
  let x = 0;
  while (Date.now() < end) x += Math.sqrt(x + 1);
  return x;
}

let stress; // the running stress child, if any

/** Replaces the stress child with one that spins for `seconds` (none for 0). It shares the app's process group, so its CPU is the instance's. */
function startStress(seconds) {
  stress?.kill();
  stress = undefined;
  if (seconds <= 0) return;
  const child = spawn(process.execPath, ['-e', `const end = Date.now() + ${seconds * 1000}; let x = 0; while (Date.now() < end) x += Math.sqrt(x + 1);`], { stdio: 'ignore' });
  child.on('exit', () => { if (stress === child) stress = undefined; });
  stress = child;
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const ms = Math.max(0, Math.min(Number(url.searchParams.get('ms') ?? 0) || 0, 600_000));
  if (url.pathname === '/health') return reply(res, 200, 'ok\n');
  if (url.pathname === '/slow') return void setTimeout(() => reply(res, 200, `slept ${ms} ms on ${instanceId}\n`), ms);
  if (url.pathname === '/burn') {
    burn(ms);
    return reply(res, 200, `burned ${ms} ms of CPU on ${instanceId}\n`);
  }
  if (url.pathname === '/stress') {
    const seconds = Math.max(0, Math.min(Number(url.searchParams.get('seconds') ?? 60) || 0, 600));
    startStress(seconds);
    return reply(res, 200, seconds > 0 ? `stressing one CPU of ${instanceId} for ${seconds} s\n` : `stress stopped on ${instanceId}\n`);
  }
  reply(res, 200, `hello from ${instanceId} (${host}:${port}, zone ${zone}, template version ${version}, ` +
    `host ${hostname()}, pid ${process.pid}) path ${url.pathname}\n`);
});

server.listen(port, host, () => console.log(`hello: ${instanceId} listening on ${host}:${port}`));

process.on('SIGTERM', () => {
  console.log(`hello: ${instanceId} got SIGTERM, finishing in-flight requests`);
  startStress(0);
  server.close(() => {
    console.log(`hello: ${instanceId} stopped`);
    process.exit(0);
  });
  server.closeIdleConnections();
});
