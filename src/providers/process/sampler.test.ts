import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measure, memoryViolation } from './sampler.js';
import { instanceType } from '../instance-types.js';
import type { ProcStat } from './proc.js';

const proc = (cpuTicks: number, rssPages: number): ProcStat => ({
  pid: 1, state: 'S', ppid: 0, pgrp: 1, cpuTicks, startTicks: 0, rssPages,
});
const opts = { type: instanceType('t3.micro'), pageSize: 4096 };

const cases: Array<{ what: string; members: ProcStat[]; prev?: { at: number; cpuTicks: number }; now: number; cpu: number | undefined; mem: number }> = [
  { what: 'first sample has no CPU yet', members: [proc(50, 10)], now: 1000, cpu: undefined, mem: 40960 },
  { what: 'one busy vCPU of two is 50%', members: [proc(200, 1)], prev: { at: 0, cpuTicks: 100 }, now: 1000, cpu: 50, mem: 4096 },
  { what: 'members add up', members: [proc(150, 1), proc(150, 1)], prev: { at: 0, cpuTicks: 100 }, now: 1000, cpu: 100, mem: 8192 },
  { what: 'capped at 100', members: [proc(1000, 0)], prev: { at: 0, cpuTicks: 0 }, now: 1000, cpu: 100, mem: 0 },
  { what: 'a member that exited never makes it negative', members: [proc(10, 0)], prev: { at: 0, cpuTicks: 500 }, now: 1000, cpu: 0, mem: 0 },
];

for (const c of cases) {
  test(`measure: ${c.what}`, () => {
    const u = measure(c.members, c.prev, c.now, opts);
    assert.equal(u.cpuPercent, c.cpu);
    assert.equal(u.memoryBytes, c.mem);
  });
}

test('memoryViolation names the type and its limit', () => {
  assert.equal(memoryViolation(512 * 1024 * 1024, instanceType('t3.nano')), undefined);
  assert.match(memoryViolation(600 * 1024 * 1024, instanceType('t3.nano')) ?? '', /600 MiB .* 512 MiB of t3.nano/);
});
