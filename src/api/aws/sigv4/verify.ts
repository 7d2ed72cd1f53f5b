/**
 * AWS Signature Version 4, verified against the configured credentials, for
 * both forms clients send: the Authorization header and the presigned query
 * string (X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires,
 * X-Amz-SignedHeaders, X-Amz-Signature). Any region is accepted; the caller
 * learns the region and service the client signed for.
 *
 * Errors, as AWS's query and JSON services answer them: no signature ->
 * 403 MissingAuthenticationToken; a malformed one -> 400 IncompleteSignature;
 * an unknown key -> 403 InvalidClientTokenId; a wrong signature -> 403
 * SignatureDoesNotMatch; a date more than 15 minutes off (or a presigned URL
 * past its expiry) -> 403 RequestExpired.
 */
import { timingSafeEqual } from 'node:crypto';
import { ShoalError } from '../../../core/errors.js';
import { canonicalRequest, sha256Hex, signature, stringToSign, type SignedRequest } from './canonical.js';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface Verified {
  accessKeyId: string;
  region: string;
  service: string;
}

const SKEW_MS = 15 * 60 * 1000;

interface Parts {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  presigned: boolean;
  expiresS?: number;
}

export function verifySigV4(r: SignedRequest, creds: readonly Credentials[], nowMs: number): Verified {
  const p = parts(r);
  const cred = creds.find((c) => c.accessKeyId === p.accessKeyId);
  if (cred === undefined) throw new ShoalError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
  const at = parseAmzDate(p.amzDate);
  if (p.presigned) {
    if (nowMs > at + (p.expiresS ?? 900) * 1000 || at - nowMs > SKEW_MS) throw expired(p.amzDate, nowMs);
  } else if (Math.abs(nowMs - at) > SKEW_MS) {
    throw expired(p.amzDate, nowMs);
  }
  const payloadHash = r.headers['x-amz-content-sha256'] ?? (p.presigned && r.body.length === 0 ? 'UNSIGNED-PAYLOAD' : sha256Hex(r.body));
  const scope = `${p.date}/${p.region}/${p.service}/aws4_request`;
  const hashes = payloadHash === 'UNSIGNED-PAYLOAD' ? ['UNSIGNED-PAYLOAD', sha256Hex(r.body)] : [payloadHash];
  for (const hash of hashes) {
    const canonical = canonicalRequest(r, p.signedHeaders, hash, p.presigned ? 'X-Amz-Signature' : undefined);
    const expected = signature(cred.secretAccessKey, p.date, p.region, p.service, stringToSign(p.amzDate, scope, canonical));
    if (sameHex(expected, p.signature)) return { accessKeyId: p.accessKeyId, region: p.region, service: p.service };
  }
  throw new ShoalError('SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.', 403);
}

/** The credential a request names (its access key id), if it is signed at all; no verification. */
export function isSigned(r: SignedRequest): boolean {
  return r.headers.authorization !== undefined || r.query.some(([k]) => k === 'X-Amz-Signature');
}

/** The service a signed request names in its credential scope (unverified: for routing a call that names no Version). */
export function signingService(r: SignedRequest): string | undefined {
  const credential = /Credential=([^,\s]+)/.exec(r.headers.authorization ?? '')?.[1] ?? r.query.find(([k]) => k === 'X-Amz-Credential')?.[1];
  return credential?.split('/')[3];
}

function parts(r: SignedRequest): Parts {
  const auth = r.headers.authorization;
  if (auth !== undefined) {
    const m = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/.exec(auth);
    if (m === null) throw incomplete('Authorization header requires Credential, SignedHeaders and Signature (AWS4-HMAC-SHA256).');
    const amzDate = r.headers['x-amz-date'] ?? '';
    return { ...scopeOf(m[1]!), signedHeaders: m[2]!.split(';'), signature: m[3]!, amzDate, presigned: false };
  }
  const q = new Map(r.query);
  if (!q.has('X-Amz-Signature')) throw new ShoalError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
  if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') throw incomplete('X-Amz-Algorithm must be AWS4-HMAC-SHA256.');
  const expires = Number(q.get('X-Amz-Expires') ?? '900');
  return {
    ...scopeOf(q.get('X-Amz-Credential') ?? ''),
    signedHeaders: (q.get('X-Amz-SignedHeaders') ?? 'host').split(';'),
    signature: q.get('X-Amz-Signature') ?? '',
    amzDate: q.get('X-Amz-Date') ?? '',
    presigned: true,
    expiresS: Number.isFinite(expires) ? expires : 900,
  };
}

function scopeOf(credential: string): Pick<Parts, 'accessKeyId' | 'date' | 'region' | 'service'> {
  const c = credential.split('/');
  if (c.length !== 5 || c[4] !== 'aws4_request' || !/^\d{8}$/.test(c[1]!)) throw incomplete(`Credential should be scoped to a valid region: '${credential.slice(0, 200)}'`);
  return { accessKeyId: c[0]!, date: c[1]!, region: c[2]!, service: c[3]! };
}

function parseAmzDate(v: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v);
  if (m === null) throw incomplete(`X-Amz-Date must be YYYYMMDDTHHMMSSZ (got '${v.slice(0, 40)}').`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

function expired(amzDate: string, nowMs: number): ShoalError {
  const now = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return new ShoalError('RequestExpired', `Request has expired: its date ${amzDate} is more than 15 minutes from the server's time ${now}.`, 403);
}

function incomplete(why: string): ShoalError {
  return new ShoalError('IncompleteSignature', why, 400);
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
