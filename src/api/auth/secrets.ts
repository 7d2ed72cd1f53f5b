/**
 * The API's secrets: the token the CLI presents, one-time console login
 * tokens, session ids and CSRF tokens. All are 256 random bits from the OS
 * (node:crypto, not the injected Random: these must be unguessable, not
 * repeatable) written as 64 hex digits.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function newSecret(): string {
  return randomBytes(32).toString('hex');
}

/** SHA-256 of a secret: what the daemon keeps of login tokens and sessions, and map keys for them. */
export function digest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/**
 * Constant-time comparison. Both sides are hashed first so the buffers
 * timingSafeEqual sees have equal length whatever was sent, and the time
 * taken says nothing about the expected secret, not even its length.
 */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected)) && given.length === expected.length;
}
