import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TraceIds } from './trace-id.js';

function lines(ids: TraceIds, count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const buf = Buffer.alloc(TraceIds.LINE_BYTES + 4, '.');
    const end = ids.writeLine(buf, 2);
    assert.equal(end, 2 + TraceIds.LINE_BYTES, 'returns the offset after the line');
    assert.equal(buf.toString('latin1', 0, 2) + buf.toString('latin1', end), '....', 'writes nothing outside the line');
    out.push(buf.toString('latin1', 2, end));
    assert.equal(`X-Amzn-Trace-Id: ${ids.last()}\r\n`, out[i], 'last() is the id just written (the access log\'s trace_id)');
  }
  return out;
}

test('TraceIds: the epoch second, the worker prefix and a counter, as AWS formats Root ids', () => {
  let second = 0x5f5e100;
  const ids = new TraceIds('0123456789ab', () => second);
  assert.deepEqual(lines(ids, 2), [
    'X-Amzn-Trace-Id: Root=1-05f5e100-0123456789ab000000000001\r\n',
    'X-Amzn-Trace-Id: Root=1-05f5e100-0123456789ab000000000002\r\n',
  ]);
  second++;
  assert.deepEqual(lines(ids, 1), ['X-Amzn-Trace-Id: Root=1-05f5e101-0123456789ab000000000003\r\n']);
});

test('TraceIds: the counter uses all 12 hex digits and wraps after them', () => {
  const ids = new TraceIds('000000000000', () => 1);
  const at = (n: number) => {
    (ids as unknown as { counter: number }).counter = n - 1;
    return lines(ids, 1)[0]!.slice(-14, -2);
  };
  assert.equal(at(0xabcdef), '000000abcdef');
  assert.equal(at(16 ** 12 - 1), 'ffffffffffff');
  assert.equal(at(16 ** 12), '000000000000');
});
