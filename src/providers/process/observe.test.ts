import { test } from 'node:test';
import assert from 'node:assert/strict';
import { advance, type ProcView } from './observe.js';
import type { InstanceMeta } from './meta.js';
import type { ProcStat } from './proc.js';

const PID = 4242;
const leader: ProcStat = { pid: PID, state: 'S', ppid: 1, pgrp: PID, cpuTicks: 0, startTicks: 10, rssPages: 1 };
const child: ProcStat = { ...leader, pid: PID + 1 };

function meta(over: Partial<InstanceMeta> = {}): InstanceMeta {
  return {
    version: 1,
    spec: { instanceId: 'i-0aaaaaaaaaaaaaaaaa', imageDir: '/img', availabilityZone: 'a', zoneIndex: 0, instanceType: 't3.micro',
      environment: {}, port: 80, templateVersion: '1', tags: {} },
    bootScript: 'exec node server.js', privateIp: '127.0.1.10', host: '127.0.1.10', port: 80,
    pid: PID, startTicks: 10, bootCmdline: 'sh', launchedAt: 0, state: 'running', bootStatus: 'running',
    console: { base: 0, previousLength: 0 }, ...over,
  };
}

const view = (over: Partial<ProcView> = {}): ProcView => ({
  members: [leader], listening: false, handedOver: false, consoleEnd: 42, awaitingExit: true, seenAlive: true, ...over,
});

const cases: Array<{ what: string; meta: InstanceMeta; view: ProcView; expect: Partial<InstanceMeta> }> = [
  { what: 'a running boot script stays booting', meta: meta(), view: view(), expect: { state: 'running', bootStatus: 'running' } },
  { what: 'exec of the app ends the boot', meta: meta(), view: view({ handedOver: true }),
    expect: { state: 'running', bootStatus: 'succeeded', bootEnd: 42 } },
  { what: 'a listening app ends the boot', meta: meta(), view: view({ listening: true }), expect: { bootStatus: 'succeeded', bootEnd: 42 } },
  { what: 'exit 0 with a background app left: booted and running',
    meta: meta({ exit: { code: 0, signal: null } }), view: view({ members: [child], awaitingExit: false }),
    expect: { state: 'running', bootStatus: 'succeeded' } },
  { what: 'exit 0 and nothing left: stopped',
    meta: meta({ exit: { code: 0, signal: null } }), view: view({ members: [], awaitingExit: false }),
    expect: { state: 'stopped', bootStatus: 'succeeded', impairedReason: 'Boot script finished and left no process running' } },
  { what: 'exit 3: boot failed, stopped with the status',
    meta: meta({ exit: { code: 3, signal: null } }), view: view({ members: [], awaitingExit: false }),
    expect: { state: 'stopped', bootStatus: 'failed', impairedReason: 'Boot script exited with status 3; see the boot log' } },
  { what: 'the app killed after boot: stopped with the signal',
    meta: meta({ bootStatus: 'succeeded', exit: { code: null, signal: 'SIGKILL' } }), view: view({ members: [], awaitingExit: false }),
    expect: { state: 'stopped', impairedReason: 'Instance process was killed by SIGKILL; no process of the instance is left' } },
  { what: 'gone but our exit event not yet in: wait for it',
    meta: meta({ bootStatus: 'succeeded' }), view: view({ members: [], awaitingExit: true }), expect: { state: 'running' } },
  { what: 'gone on the first look after a restart',
    meta: meta({ bootStatus: 'succeeded' }), view: view({ members: [], awaitingExit: false, seenAlive: false }),
    expect: { state: 'stopped', impairedReason: 'Instance process exited while shoal was down' } },
  { what: 'an adopted instance that dies later: cause unknown',
    meta: meta({ bootStatus: 'succeeded' }), view: view({ members: [], awaitingExit: false, seenAlive: true }),
    expect: { state: 'stopped', impairedReason: 'No process of the instance is left (exit status unknown: adopted after a shoal restart)' } },
  { what: 'a memory kill keeps its cause',
    meta: meta({ bootStatus: 'succeeded', impairedReason: 'Instance ran out of memory' }), view: view({ members: [], awaitingExit: false }),
    expect: { state: 'stopped', impairedReason: 'Instance ran out of memory' } },
  { what: 'terminating instances are left to terminate()',
    meta: meta({ state: 'stopping' }), view: view({ members: [], awaitingExit: false }), expect: { state: 'stopping' } },
];

for (const c of cases) {
  test(`advance: ${c.what}`, () => {
    advance(c.meta, c.view, 1000);
    for (const [k, v] of Object.entries(c.expect)) assert.deepEqual(c.meta[k as keyof InstanceMeta], v, k);
  });
}
