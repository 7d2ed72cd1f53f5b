/**
 * Network load balancers on real sockets: TCP, TLS and UDP listeners in
 * front of TCP/UDP target groups; connection-level balancing; a refused
 * target skipped at once; PROXY protocol v2 to the target; the client's own
 * address kept (preserve_client_ip); source_ip stickiness; connection
 * termination at the end of the deregistration delay.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { makeCerts } from '../../src/cli/cert.js';
import { freePort } from '../support/backends.js';
import { exchange, tcpTarget } from '../support/tcp.js';
import { startDaemon, waitForHealth } from '../support/daemon.js';

const HEALTH = 'healthCheck: { intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2, unhealthyThresholdCount: 2 }';

test('TCP and TLS listeners: connection-level balancing, PROXY v2, client address, refused targets skipped', async (t) => {
  const [a, b] = [await tcpTarget('a'), await tcpTarget('b')];
  const proxied = await tcpTarget('p');
  const preserved = await tcpTarget('c');
  const [lbPort, tlsPort, ppPort, keepPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const dead = await freePort();
  const dir = (await import('node:fs')).mkdtempSync(join((await import('node:os')).tmpdir(), 'shoal-nlb-'));
  const certs = await makeCerts({ names: ['nlb.localhost'], caDir: join(dir, 'ca'), out: dir });
  const s = await startDaemon(`
api: { listen: 127.0.0.1:API }
loadBalancers:
  - name: net
    type: network
    listeners:
      - { port: ${lbPort}, protocol: TCP, defaultActions: [{ type: forward, targetGroup: pair }] }
      - port: ${tlsPort}
        protocol: TLS
        certificates: [{ certificateFile: ${certs.files[0]!.cert}, privateKeyFile: ${certs.files[0]!.key} }]
        defaultActions: [{ type: forward, targetGroup: pair }]
      - { port: ${ppPort}, protocol: TCP, defaultActions: [{ type: forward, targetGroup: proxied }] }
      - { port: ${keepPort}, protocol: TCP, defaultActions: [{ type: forward, targetGroup: preserved }] }
targetGroups:
  - name: pair
    protocol: TCP
    port: ${a.port}
    ${HEALTH}
    targets: [{ id: 127.0.0.1, port: ${a.port} }, { id: 127.0.0.1, port: ${b.port} }, { id: 127.0.0.1, port: ${dead} }]
  - name: proxied
    protocol: TCP
    port: ${proxied.port}
    ${HEALTH}
    attributes: { proxyProtocolV2: true }
    targets: [{ id: 127.0.0.1, port: ${proxied.port} }]
  - name: preserved
    protocol: TCP
    port: ${preserved.port}
    ${HEALTH}
    attributes: { preserveClientIp: true }
    targets: [{ id: 127.0.0.1, port: ${preserved.port} }]
`, { dir });
  t.after(async () => {
    await s.stop();
    for (const x of [a, b, proxied, preserved]) x.server.close();
  });

  // Before the checks pass every registered target is tried (fail open); the refused one is skipped at once,
  // so every connection is answered. The first health results arrive one target at a time (for some
  // milliseconds only one is healthy), so connections go on until both live targets have answered.
  const seen = new Map<string, number>();
  for (let i = 0; i < 12 || (seen.size < 2 && i < 500); i++) {
    const answer = await exchange(lbPort, `ping ${i}`);
    assert.match(answer, new RegExp(`^[ab] 127\\.0\\.0\\.1 -\\nping ${i}$`));
    seen.set(answer[0]!, (seen.get(answer[0]!) ?? 0) + 1);
  }
  assert.deepEqual([...seen.keys()].sort(), ['a', 'b'], 'connections spread over both live targets');
  await waitForHealth(s.daemon, 'pair', (l) => l.find((d) => d.target.port === dead)?.targetHealth.state === 'unhealthy' &&
    l.filter((d) => d.targetHealth.state === 'healthy').length === 2, 15_000);

  // TLS terminated with the listener's certificate, then TCP to the same group.
  assert.match(await exchange(tlsPort, 'over tls', { tls: true }), /^[ab] 127\.0\.0\.1 -\nover tls$/);

  // PROXY protocol v2: the target reads the client's address and port from the header.
  const client = await new Promise<string>((resolve, reject) => {
    const c = connect({ host: '127.0.0.1', port: ppPort, localAddress: '127.0.0.77' }, () => c.write('x'));
    c.setEncoding('utf8');
    c.once('data', (d: string) => {
      resolve(`${d.split('\n')[0]} ${c.localPort}`);
      c.destroy();
    });
    c.on('error', reject);
  });
  const [, , fromHeader, localPort] = client.trim().split(/\s+/);
  assert.equal(fromHeader, `127.0.0.77:${localPort}`);

  // preserve_client_ip: the target sees the client's own (loopback) address as the peer.
  assert.match(await exchange(keepPort, 'who', { localAddress: '127.0.0.66' }), /^c 127\.0\.0\.66 -\nwho$/);
});

test('source_ip stickiness holds over 100 connections and moves when its target dies; termination at the end of the delay', async (t) => {
  const targets = [await tcpTarget('a'), await tcpTarget('b'), await tcpTarget('c')];
  const held = await tcpTarget('d');
  const [lbPort, termPort] = [await freePort(), await freePort()];
  const s = await startDaemon(`
api: { listen: 127.0.0.1:API }
loadBalancers:
  - name: net
    type: network
    listeners:
      - { port: ${lbPort}, protocol: TCP, defaultActions: [{ type: forward, targetGroup: sticky }] }
      - { port: ${termPort}, protocol: TCP, defaultActions: [{ type: forward, targetGroup: cut }] }
targetGroups:
  - name: sticky
    protocol: TCP
    port: ${targets[0]!.port}
    ${HEALTH}
    attributes: { stickiness: { enabled: true, type: source_ip } }
    targets: [${targets.map((x) => `{ id: 127.0.0.1, port: ${x.port} }`).join(', ')}]
  - name: cut
    protocol: TCP
    port: ${held.port}
    ${HEALTH}
    attributes: { deregistrationDelaySeconds: 0, connectionTermination: true }
`);
  t.after(async () => {
    await s.stop();
    for (const x of [...targets, held]) x.server.close();
  });

  // All three healthy first: a target turning healthy later would change where the hash sends this client.
  await waitForHealth(s.daemon, 'sticky', (l) => l.filter((d) => d.targetHealth.state === 'healthy').length === 3, 15_000);
  const first = await exchange(lbPort, 'hello', { localAddress: '127.0.0.50' });
  const mine = first[0]!;
  for (let i = 0; i < 100; i++) assert.equal((await exchange(lbPort, `n${i}`, { localAddress: '127.0.0.50' }))[0], mine, `connection ${i} stays on ${mine}`);
  const others = new Set<string>();
  for (let i = 1; i < 40; i++) others.add((await exchange(lbPort, 'x', { localAddress: `127.0.1.${i}` }))[0]!);
  assert.ok(others.size >= 2, `other clients spread: ${[...others].join(',')}`);

  // Its target dies: the client moves, and stays where it moved.
  const dying = targets['abc'.indexOf(mine)]!;
  dying.server.close();
  for (const sock of dying.sockets) sock.destroy();
  const moved = (await exchange(lbPort, 'again', { localAddress: '127.0.0.50' }))[0]!;
  assert.notEqual(moved, mine);
  for (let i = 0; i < 10; i++) assert.equal((await exchange(lbPort, 'still', { localAddress: '127.0.0.50' }))[0], moved);

  // connection_termination: an open connection to a deregistered target is reset once its delay (0 s) ends.
  s.daemon.control.registerTargets('cut', [{ id: '127.0.0.1', port: held.port }]);
  // The registration reaches the data plane with the next snapshot: until then a connection finds no target and is reset.
  const deadline = Date.now() + 5000;
  let open: Socket | undefined;
  let ended: Promise<string> | undefined;
  while (open === undefined) {
    const c = connect({ host: '127.0.0.1', port: termPort });
    const end = new Promise<string>((resolve) => {
      c.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      c.on('close', () => resolve('closed'));
    });
    c.write('hold');
    const got = await Promise.race([new Promise((r) => c.once('data', () => r('data'))), end]);
    if (got === 'data') [open, ended] = [c, end];
    else assert.ok(Date.now() < deadline, 'the registered target takes connections');
  }
  assert.equal(held.sockets.size, 1);
  s.daemon.control.deregisterTargets('cut', [{ id: '127.0.0.1', port: held.port }]);
  assert.equal(await ended, 'ECONNRESET', 'the load balancer resets the connection');
  open.destroy();
});

test('UDP listener: each client a flow to one target, answers come back from the listener', async (t) => {
  const names = ['u1', 'u2'];
  const servers = await Promise.all(names.map(async (name) => {
    const sock = createSocket('udp4');
    sock.on('message', (msg, from) => sock.send(`${name}:${msg.toString()}`, from.port, from.address));
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
    // NLB checks UDP targets over TCP (here on a port of its own).
    const health = createServer((c) => c.end());
    await new Promise<void>((r) => health.listen(0, '127.0.0.1', r));
    return { sock, health, port: sock.address().port, healthPort: (health.address() as { port: number }).port };
  }));
  const lbPort = await freePort();
  const s = await startDaemon(`
api: { listen: 127.0.0.1:API }
loadBalancers:
  - name: dns
    type: network
    listeners: [{ port: ${lbPort}, protocol: UDP, defaultActions: [{ type: forward, targetGroup: udp }] }]
targetGroups:
  - name: udp
    protocol: UDP
    port: ${servers[0]!.port}
    healthCheck: { protocol: TCP, port: ${servers[0]!.healthPort}, intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2, unhealthyThresholdCount: 2 }
    targets: [${servers.map((x) => `{ id: 127.0.0.1, port: ${x.port} }`).join(', ')}]
`);
  t.after(async () => {
    await s.stop();
    for (const x of servers) {
      x.sock.close();
      x.health.close();
    }
  });
  const ask = (client: ReturnType<typeof createSocket>, text: string) => new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no UDP answer')), 3000);
    client.once('message', (msg) => {
      clearTimeout(timer);
      resolve(msg.toString());
    });
    client.send(text, lbPort, '127.0.0.1');
  });
  const answers = new Set<string>();
  for (let i = 0; i < 8; i++) {
    const client = createSocket('udp4');
    await new Promise<void>((r) => client.bind(0, '127.0.0.1', r));
    const one = await ask(client, `q${i}`);
    assert.match(one, new RegExp(`^u[12]:q${i}$`));
    assert.equal((await ask(client, 'again')).split(':')[0], one.split(':')[0], 'a client stays on its flow\'s target');
    answers.add(one.split(':')[0]!);
    client.close();
  }
  assert.deepEqual([...answers].sort(), ['u1', 'u2'], 'clients spread over both targets');
});

test('cross-zone load balancing: off (the default) a 1-target zone gets half the connections beside a 3-target zone; on, a quarter', async (t) => {
  const targets = [await tcpTarget('a1'), await tcpTarget('b1'), await tcpTarget('b2'), await tcpTarget('b3')];
  const zoneOf = ['zone-a', 'zone-b', 'zone-b', 'zone-b'];
  const [offPort, onPort] = [await freePort(), await freePort()];
  const s = await startDaemon(`
api: { listen: 127.0.0.1:API }
loadBalancers:
  - name: zonal
    type: network
    listeners: [{ port: ${offPort}, protocol: TCP, defaultActions: [{ type: forward, targetGroup: spread }] }]
  - name: crossing
    type: network
    attributes: { crossZoneEnabled: true }
    listeners: [{ port: ${onPort}, protocol: TCP, defaultActions: [{ type: forward, targetGroup: spread }] }]
targetGroups:
  - name: spread
    protocol: TCP
    port: ${targets[0]!.port}
    ${HEALTH}
    targets: [${targets.map((x, i) => `{ id: 127.0.0.1, port: ${x.port}, availabilityZone: ${zoneOf[i]} }`).join(', ')}]
`);
  t.after(async () => {
    await s.stop();
    for (const x of targets) x.server.close();
  });
  await waitForHealth(s.daemon, 'spread', (l) => l.filter((d) => d.targetHealth.state === 'healthy').length === 4, 15_000);

  const share = async (port: number, n: number): Promise<Record<string, number>> => {
    const out: Record<string, number> = {};
    for (let i = 0; i < n; i++) {
      const name = (await exchange(port, `c${i}`)).split(' ')[0]!;
      out[name] = (out[name] ?? 0) + 1;
    }
    return out;
  };
  const off = await share(offPort, 80);
  assert.ok(off.a1! >= 32 && off.a1! <= 48, `cross-zone off: zone-a's one target takes about half: ${JSON.stringify(off)}`);
  for (const b of ['b1', 'b2', 'b3']) assert.ok((off[b] ?? 0) >= 8, `zone-b's ${b} still gets its share of the other half: ${JSON.stringify(off)}`);
  const on = await share(onPort, 80);
  assert.ok(on.a1! >= 12 && on.a1! <= 28, `cross-zone on: every target takes about a quarter: ${JSON.stringify(on)}`);
});
