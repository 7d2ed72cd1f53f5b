import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { Worker } from 'node:worker_threads';
import { issue, newCa } from '../../cli/cert/issue.js';
import { acceptBurstAvailable, acceptInBursts } from './accept-burst.js';

const CLIENTS = 20;

/**
 * Connects `count` clients from another thread while this thread's event loop is blocked, so
 * every connection is already waiting in the kernel's accept queue when the loop runs again.
 * TLS clients then finish their handshakes; the worker reports what each echo brought back.
 */
async function queuedClients(port: number, count: number, tls: boolean): Promise<{ echoed: string[] }> {
  const connected = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `
    const { workerData, parentPort } = require('node:worker_threads');
    const net = require('node:net'), tls = require('node:tls');
    const { port, count, tls: useTls, connected } = workerData;
    const echoed = [];
    for (let i = 0; i < count; i++) {
      const raw = net.connect({ host: '127.0.0.1', port }, () => {
        if (Atomics.add(connected, 0, 1) + 1 === count) Atomics.notify(connected, 0);
      });
      const s = useTls ? tls.connect({ socket: raw, rejectUnauthorized: false, servername: 'burst.test' }) : raw;
      s.once(useTls ? 'secureConnect' : 'connect', () => s.write('hello ' + i));
      s.on('data', (d) => {
        echoed.push(d.toString());
        s.end();
        if (echoed.length === count) parentPort.postMessage({ echoed });
      });
      s.on('error', (e) => parentPort.postMessage({ error: e.message }));
    }
    `,
    { eval: true, workerData: { port, count, tls, connected } },
  );
  // Blocks this thread (its event loop with it) until every TCP handshake is done by the kernel.
  while (Atomics.load(connected, 0) < count) Atomics.wait(connected, 0, Atomics.load(connected, 0), 10_000);
  const [message] = (await once(worker, 'message')) as [{ echoed?: string[]; error?: string }];
  await worker.terminate();
  if (message.error !== undefined) throw new Error(message.error);
  return { echoed: message.echoed! };
}

/** Counts event-loop turns (each check phase), so connections can be told apart by the turn that accepted them. */
function turnCounter(): { turn(): number; stop(): void } {
  let turn = 0;
  let stopped = false;
  const step = () => {
    turn++;
    if (!stopped) setImmediate(step);
  };
  setImmediate(step);
  return { turn: () => turn, stop: () => (stopped = true) };
}

async function listening(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

test('the native accept helper is built on Linux', { skip: process.platform !== 'linux' }, () => {
  assert.equal(acceptBurstAvailable(), true, 'build/Release/net_accept.node is missing: npm install builds it');
});

test('a queue of waiting connections is accepted in one turn, each a working socket the server counts', { skip: process.platform !== 'linux' }, async () => {
  const turns: number[] = [];
  const counter = turnCounter();
  const server = createServer({ noDelay: true }, (socket: Socket) => {
    turns.push(counter.turn());
    socket.on('data', (d) => socket.write(`echo ${d.toString()}`));
  });
  acceptInBursts(server);
  const port = await listening(server);
  try {
    const { echoed } = await queuedClients(port, CLIENTS, false);
    assert.equal(turns.length, CLIENTS);
    assert.equal(new Set(turns).size, 1, `accepted over turns ${[...new Set(turns)].join(', ')}`);
    assert.deepEqual(echoed.sort(), Array.from({ length: CLIENTS }, (_, i) => `echo hello ${i}`).sort());
  } finally {
    counter.stop();
    server.close();
  }
  // The burst-accepted sockets were counted as libuv's are: close() completes once they are all gone.
  await once(server, 'close');
});

test('TLS: burst-accepted connections complete their handshakes', { skip: process.platform !== 'linux' }, async () => {
  const ca = await newCa({ name: 'burst test CA' });
  const cert = await issue(ca.issuer, { names: ['burst.test'] });
  const turns: number[] = [];
  const counter = turnCounter();
  const server = createTlsServer({ cert: cert.cert, key: cert.key });
  server.on('connection', () => turns.push(counter.turn()));
  server.on('secureConnection', (socket: TLSSocket) => socket.on('data', (d) => socket.write(`tls ${d.toString()}`)));
  acceptInBursts(server);
  const port = await listening(server);
  try {
    const { echoed } = await queuedClients(port, CLIENTS, true);
    assert.equal(new Set(turns).size, 1, `accepted over turns ${[...new Set(turns)].join(', ')}`);
    assert.deepEqual(echoed.sort(), Array.from({ length: CLIENTS }, (_, i) => `tls hello ${i}`).sort());
  } finally {
    counter.stop();
    server.close();
  }
});
