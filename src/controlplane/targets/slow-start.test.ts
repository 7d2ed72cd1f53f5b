import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EMPTY_SLOW_START, planSlowStart, type SlowStartInput } from './slow-start.js';

const S = 1000;
const ON = 30 * S;

/** One plan: the targets as they are at `at` seconds. `h`: healthy since (s), absent: not healthy. */
interface Step {
  at: number;
  targets: Array<{ key: string; batch: number; h?: number }>;
  durationMs?: number;
}

function run(steps: Step[]): Record<string, number> {
  let memory = EMPTY_SLOW_START;
  for (const s of steps) {
    const inputs: SlowStartInput[] = s.targets.map((t) => ({ key: t.key, batch: t.batch, ...(t.h === undefined ? {} : { healthySince: t.h * S }) }));
    memory = planSlowStart(memory, inputs, s.durationMs ?? ON, s.at * S);
  }
  return Object.fromEntries([...memory.ramping].map(([k, v]) => [k, v / S]));
}

// a is healthy from 1 s in registration batch 1; b is registered later (batch 2).
const A = { key: 'a', batch: 1, h: 1 };
const base: Step = { at: 1, targets: [A] };

describe('planSlowStart (ALB slow start mode)', () => {
  const cases: Array<{ desc: string; steps: Step[]; want: Record<string, number> }> = [
    { desc: 'the first target into an empty group does not ramp', steps: [base], want: {} },
    {
      desc: 'a target newly healthy beside a healthy one ramps, from when it became healthy',
      steps: [base, { at: 10, targets: [A, { key: 'b', batch: 2 }] }, { at: 12, targets: [A, { key: 'b', batch: 2, h: 11 }] }],
      want: { b: 11 },
    },
    {
      desc: 'targets registered together into an empty group do not ramp, whichever passes first',
      steps: [{ at: 1, targets: [{ key: 'a', batch: 1, h: 1 }, { key: 'b', batch: 1 }] }, { at: 2, targets: [{ key: 'a', batch: 1, h: 1 }, { key: 'b', batch: 1, h: 2 }] }],
      want: {},
    },
    {
      desc: 'targets already healthy when slow start is turned on do not ramp',
      steps: [{ at: 1, targets: [A, { key: 'b', batch: 2, h: 1 }], durationMs: 0 }, { at: 5, targets: [A, { key: 'b', batch: 2, h: 1 }] }],
      want: {},
    },
    { desc: 'slow start off: a newly healthy target does not ramp', steps: [base, { at: 5, targets: [A, { key: 'b', batch: 2, h: 5 }], durationMs: 0 }], want: {} },
    {
      desc: 'two newcomers healthy together beside an established target both ramp',
      steps: [base, { at: 5, targets: [A, { key: 'b', batch: 2, h: 5 }, { key: 'c', batch: 2, h: 5 }] }],
      want: { b: 5, c: 5 },
    },
    {
      desc: 'still ramping just before the duration elapses',
      steps: [base, { at: 10, targets: [A, { key: 'b', batch: 2, h: 10 }] }, { at: 39.999, targets: [A, { key: 'b', batch: 2, h: 10 }] }],
      want: { b: 10 },
    },
    {
      desc: 'leaves slow start when the duration elapses',
      steps: [base, { at: 10, targets: [A, { key: 'b', batch: 2, h: 10 }] }, { at: 40, targets: [A, { key: 'b', batch: 2, h: 10 }] }],
      want: {},
    },
    {
      desc: 'leaves slow start when it becomes unhealthy',
      steps: [base, { at: 10, targets: [A, { key: 'b', batch: 2, h: 10 }] }, { at: 20, targets: [A, { key: 'b', batch: 2 }] }],
      want: {},
    },
    {
      desc: 'healthy again after being unhealthy: ramps again, from the new healthy time',
      steps: [
        base,
        { at: 10, targets: [A, { key: 'b', batch: 2, h: 10 }] },
        { at: 20, targets: [A, { key: 'b', batch: 2 }] },
        { at: 50, targets: [A, { key: 'b', batch: 2, h: 50 }] },
      ],
      want: { b: 50 },
    },
    {
      desc: 'a target of the first registration that recovers later ramps beside its batch-mate',
      steps: [
        { at: 1, targets: [A, { key: 'b', batch: 1, h: 1 }] },
        { at: 20, targets: [A, { key: 'b', batch: 1 }] },
        { at: 30, targets: [A, { key: 'b', batch: 1, h: 30 }] },
      ],
      want: { b: 30 },
    },
    {
      desc: 'a flap between two plans (a new healthy time) counts as newly healthy',
      steps: [{ at: 1, targets: [A, { key: 'b', batch: 1, h: 1 }] }, { at: 30, targets: [A, { key: 'b', batch: 1, h: 29 }] }],
      want: { b: 29 },
    },
    {
      desc: 'deregistered then registered again: ramps again once healthy',
      steps: [
        base,
        { at: 10, targets: [A, { key: 'b', batch: 2, h: 10 }] },
        { at: 12, targets: [A] },
        { at: 13, targets: [A, { key: 'b', batch: 3 }] },
        { at: 14, targets: [A, { key: 'b', batch: 3, h: 14 }] },
      ],
      want: { b: 14 },
    },
    {
      desc: 'no healthy target outside slow start: a newcomer does not ramp',
      steps: [
        base,
        { at: 10, targets: [A, { key: 'b', batch: 2, h: 10 }] },
        { at: 11, targets: [{ ...A, h: undefined }, { key: 'b', batch: 2, h: 10 }, { key: 'c', batch: 3, h: 11 }] },
      ],
      want: { b: 10 },
    },
    {
      desc: 'a target that ended its ramp counts as a full peer for the next newcomer',
      steps: [
        { at: 1, targets: [{ key: 'b', batch: 2, h: 1 }] },
        { at: 2, targets: [{ key: 'b', batch: 2, h: 1 }, { key: 'c', batch: 3, h: 2 }] },
        { at: 40, targets: [{ key: 'c', batch: 3, h: 2 }, { key: 'd', batch: 4, h: 40 }] },
      ],
      want: { d: 40 },
    },
  ];
  for (const c of cases) {
    it(c.desc, () => assert.deepEqual(run(c.steps), c.want));
  }
});
