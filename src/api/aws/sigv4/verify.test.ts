import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalRequest, signature, stringToSign } from './canonical.js';
import { verifySigV4 } from './verify.js';
import type { SignedRequest } from './canonical.js';

// AWS's aws-sig-v4-test-suite, "get-vanilla".
const VANILLA = {
  method: 'GET', path: '/', query: [] as Array<[string, string]>, body: Buffer.alloc(0),
  headers: { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z' } as Record<string, string>,
};
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const NOW = Date.UTC(2015, 7, 30, 12, 36, 0);

test('SigV4: the get-vanilla test vector', () => {
  const canonical = canonicalRequest(VANILLA, ['host', 'x-amz-date'], EMPTY);
  assert.equal(canonical, `GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY}`);
  const sts = stringToSign('20150830T123600Z', '20150830/us-east-1/service/aws4_request', canonical);
  assert.equal(signature(SECRET, '20150830', 'us-east-1', 'service', sts), '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
});

const AUTH = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31';
const signed = (extra: Record<string, string> = {}) => ({ ...VANILLA, headers: { ...VANILLA.headers, authorization: AUTH, ...extra } });

test('SigV4: a good signature names the key, region and service', () => {
  assert.deepEqual(verifySigV4(signed(), [{ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET }], NOW), { accessKeyId: 'AKIDEXAMPLE', region: 'us-east-1', service: 'service' });
});

const refusals: Array<{ desc: string; req: SignedRequest; creds?: { accessKeyId: string; secretAccessKey: string }[]; now?: number; code: string; status: number }> = [
  { desc: 'an unknown key', req: signed(), creds: [{ accessKeyId: 'OTHER', secretAccessKey: SECRET }], code: 'InvalidClientTokenId', status: 403 },
  { desc: 'a wrong secret', req: signed(), creds: [{ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'nope' }], code: 'SignatureDoesNotMatch', status: 403 },
  { desc: 'a changed header', req: signed({ host: 'evil.example.com' }), code: 'SignatureDoesNotMatch', status: 403 },
  { desc: 'a clock 16 minutes off', req: signed(), now: NOW + 16 * 60_000, code: 'RequestExpired', status: 403 },
  { desc: 'no signature at all', req: { ...VANILLA }, code: 'MissingAuthenticationToken', status: 403 },
  { desc: 'a malformed Authorization', req: signed({ authorization: 'AWS4-HMAC-SHA256 Credential=x' }), code: 'IncompleteSignature', status: 400 },
];
for (const c of refusals) {
  test(`SigV4 refuses ${c.desc}`, () => {
    assert.throws(() => verifySigV4(c.req, c.creds ?? [{ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET }], c.now ?? NOW), (err: Error & { code: string; status: number }) => err.code === c.code && err.status === c.status);
  });
}
