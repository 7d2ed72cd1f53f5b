/**
 * Sticky-session cookie values: a target (or target group) named by its key
 * and authenticated with an HMAC over (scope, key) under the daemon's sticky
 * secret, so a client can neither forge a cookie for another target nor
 * carry one from one target group to another. The secret lives in the store:
 * cookies survive daemon restarts, as ALB's survive its fleet changing.
 *
 * value = base64url(key) "." base64url(first 16 bytes of HMAC-SHA256(secret, scope "\n" key))
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const MAC_BYTES = 16;

export class StickyTokens {
  private readonly secret: Buffer;

  constructor(secretHex: string) {
    this.secret = Buffer.from(secretHex, 'hex');
  }

  encode(scope: string, key: string): string {
    return `${Buffer.from(key, 'utf8').toString('base64url')}.${this.mac(scope, key).toString('base64url')}`;
  }

  /** The key a cookie value names, or null when it is malformed or was not issued for this scope. */
  decode(scope: string, value: string): string | null {
    const dot = value.indexOf('.');
    if (dot <= 0 || value.length > 512) return null;
    const key = Buffer.from(value.slice(0, dot), 'base64url').toString('utf8');
    const given = Buffer.from(value.slice(dot + 1), 'base64url');
    if (given.length !== MAC_BYTES) return null;
    return timingSafeEqual(given, this.mac(scope, key)) ? key : null;
  }

  private mac(scope: string, key: string): Buffer {
    return createHmac('sha256', this.secret).update(`${scope}\n${key}`).digest().subarray(0, MAC_BYTES);
  }
}

/** The value of cookie `name` in a Cookie header, or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  let at = 0;
  while (at < header.length) {
    let end = header.indexOf(';', at);
    if (end < 0) end = header.length;
    const eq = header.indexOf('=', at);
    if (eq > 0 && eq < end && header.slice(at, eq).trim() === name) return header.slice(eq + 1, end).trim();
    at = end + 1;
  }
  return undefined;
}
