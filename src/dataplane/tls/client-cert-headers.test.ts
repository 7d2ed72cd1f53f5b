import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rfc2253 } from './client-cert-headers.js';

test('rfc2253: most specific attribute first, special characters escaped', () => {
  assert.equal(rfc2253('C=US\nST=Washington\nO=mTLS\nCN=client_.com'), 'CN=client_.com,O=mTLS,ST=Washington,C=US');
  assert.equal(rfc2253('O=Acme, Inc.\nCN=a+b'), 'CN=a\\+b,O=Acme\\, Inc.');
  assert.equal(rfc2253('CN= #lead'), 'CN=\\ #lead');
  assert.equal(rfc2253('CN=x\\y;z<>"'), 'CN=x\\\\y\\;z\\<\\>\\"');
});
