/**
 * SigV4's canonical request and string to sign (AWS's "Create a canonical
 * request" and "Create a string to sign"), from what arrived on the wire.
 */
import { createHash, createHmac } from 'node:crypto';

export interface SignedRequest {
  method: string;
  /** The path as sent, without the query. */
  path: string;
  /** Query parameters as sent, decoded, in order. */
  query: Array<[string, string]>;
  /** Lower-case header names to values (repeated headers joined with ","). */
  headers: Record<string, string>;
  body: Buffer;
}

/** RFC 3986 unreserved characters stay; everything else is %XX (upper case), as SigV4 asks. */
export function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function canonicalRequest(r: SignedRequest, signedHeaders: string[], payloadHash: string, skipQuery?: string): string {
  // Non-S3 services sign the path as sent, encoded once more (segment by segment, "/" kept).
  const path = r.path.split('/').map(uriEncode).join('/') || '/';
  const query = r.query
    .filter(([k]) => k !== skipQuery)
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const headers = signedHeaders.map((h) => `${h}:${(r.headers[h] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  return [r.method, path, query, headers, signedHeaders.join(';'), payloadHash].join('\n');
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
}

export function signature(secret: string, date: string, region: string, service: string, toSign: string): string {
  const kDate = hmac(`AWS4${secret}`, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  const kSigning = hmac(kService, 'aws4_request');
  return createHmac('sha256', kSigning).update(toSign).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}
