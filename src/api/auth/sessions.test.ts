import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../core/clock.js';
import { LOGIN_TOKEN_TTL_MS, SESSION_TTL_MS, Sessions } from './sessions.js';

test('a login token opens one session, once, within 10 minutes', () => {
  const clock = new ManualClock();
  const s = new Sessions(clock);
  const { token, expiresAt } = s.issueLoginToken();
  assert.equal(expiresAt, clock.now() + LOGIN_TOKEN_TTL_MS);
  const session = s.redeem(token);
  assert.ok(session);
  assert.match(session.id, /^[0-9a-f]{64}$/);
  assert.notEqual(session.csrfToken, session.id);
  assert.equal(s.find(session.id), session);
  assert.equal(s.redeem(token), undefined, 'used twice');

  const late = s.issueLoginToken();
  clock.advance(LOGIN_TOKEN_TTL_MS);
  assert.equal(s.redeem(late.token), undefined, 'expired');
  assert.equal(s.redeem('not-a-token'), undefined, 'unknown');
});

test('sessions expire, can be closed, and unknown ids find nothing', () => {
  const clock = new ManualClock();
  const s = new Sessions(clock);
  const a = s.open();
  const b = s.open();
  s.close(a.id);
  assert.equal(s.find(a.id), undefined);
  assert.equal(s.find(b.id), b);
  assert.equal(s.find(b.id.slice(1)), undefined);
  clock.advance(SESSION_TTL_MS);
  assert.equal(s.find(b.id), undefined);
});

test('at most 256 sessions: the oldest go first', () => {
  const s = new Sessions(new ManualClock());
  const first = s.open();
  for (let i = 0; i < 256; i++) s.open();
  assert.equal(s.find(first.id), undefined);
});
