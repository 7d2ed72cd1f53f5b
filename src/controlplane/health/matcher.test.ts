import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ShoalError } from '../../core/errors.js';
import { parseMatcher } from './matcher.js';

describe('parseMatcher', () => {
  const cases: Array<{ desc: string; spec: string; yes: number[]; no: number[] }> = [
    { desc: 'a single code', spec: '200', yes: [200], no: [201, 199, 204, 500] },
    { desc: 'a list', spec: '200,202', yes: [200, 202], no: [201, 203] },
    { desc: 'a range', spec: '200-299', yes: [200, 250, 299], no: [199, 300, 302] },
    { desc: 'a range and a code', spec: '200-299,302', yes: [200, 299, 302], no: [301, 303, 404] },
    { desc: 'spaces around parts', spec: ' 200 , 404 ', yes: [200, 404], no: [201] },
    { desc: 'the widest ALB range', spec: '200-499', yes: [200, 499], no: [199, 500, 503, 0, 1000, -1, NaN] },
    { desc: 'the widest NLB range', spec: '200-599', yes: [200, 503, 599], no: [199, 600, 1000] },
    { desc: 'a one-code range', spec: '301-301', yes: [301], no: [300, 302] },
  ];
  for (const c of cases) {
    it(`matches ${c.desc}: ${JSON.stringify(c.spec)}`, () => {
      const m = parseMatcher(c.spec);
      for (const code of c.yes) assert.equal(m(code), true, `${code} should match`);
      for (const code of c.no) assert.equal(m(code), false, `${code} should not match`);
    });
  }

  const bad: Array<{ desc: string; spec: string; says: RegExp }> = [
    { desc: 'empty', spec: '', says: /not a code/ },
    { desc: 'words', spec: 'ok', says: /'ok' is not a code/ },
    { desc: 'an empty part', spec: '200,', says: /not a code/ },
    { desc: 'a code below 200', spec: '199', says: /between 200 and 599/ },
    { desc: 'a code above 599', spec: '200-600', says: /between 200 and 599/ },
    { desc: 'a reversed range', spec: '299-200', says: /ends before it starts/ },
    { desc: 'an open range', spec: '200-', says: /not a code/ },
  ];
  for (const c of bad) {
    it(`rejects ${c.desc}: ${JSON.stringify(c.spec)}`, () => {
      assert.throws(() => parseMatcher(c.spec), (e: unknown) => e instanceof ShoalError && e.code === 'ValidationError' && c.says.test(e.message));
    });
  }
});
