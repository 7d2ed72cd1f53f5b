/**
 * Console sessions and the one-time login tokens that open them, in memory:
 * a daemon restart logs everyone out. Only SHA-256 digests of the secrets
 * are kept and looked up, so a lookup's timing reveals nothing about a
 * stored value (and a memory dump holds no usable secret).
 */
import type { Clock } from '../../core/clock.js';
import { digest, newSecret } from './secrets.js';

export const LOGIN_TOKEN_TTL_MS = 10 * 60_000;
export const SESSION_TTL_MS = 24 * 3600_000;
const MAX_LOGIN_TOKENS = 64;
const MAX_SESSIONS = 256;

export interface Session {
  /** The cookie value (shown once, to set the cookie). */
  id: string;
  /** Sent back as X-CSRF-Token on every non-GET the console makes. */
  csrfToken: string;
  expiresAt: number;
}

export class Sessions {
  private readonly logins = new Map<string, number>();
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly clock: Clock) {}

  /** A single-use token for the console URL (?login=...), valid for 10 minutes. */
  issueLoginToken(): { token: string; expiresAt: number } {
    this.prune();
    const token = newSecret();
    const expiresAt = this.clock.now() + LOGIN_TOKEN_TTL_MS;
    this.logins.set(key(token), expiresAt);
    trim(this.logins, MAX_LOGIN_TOKENS);
    return { token, expiresAt };
  }

  /** Spends a login token: a new session, or undefined when it is unknown, used or expired. */
  redeem(token: string): Session | undefined {
    const k = key(token);
    const expiresAt = this.logins.get(k);
    this.logins.delete(k);
    if (expiresAt === undefined || expiresAt <= this.clock.now()) return undefined;
    return this.open();
  }

  /** A new session (after a login token or the API token was shown). */
  open(): Session {
    this.prune();
    const s: Session = { id: newSecret(), csrfToken: newSecret(), expiresAt: this.clock.now() + SESSION_TTL_MS };
    this.sessions.set(key(s.id), s);
    trim(this.sessions, MAX_SESSIONS);
    return s;
  }

  find(id: string): Session | undefined {
    const s = this.sessions.get(key(id));
    if (!s) return undefined;
    if (s.expiresAt > this.clock.now()) return s;
    this.sessions.delete(key(id));
    return undefined;
  }

  close(id: string): void {
    this.sessions.delete(key(id));
  }

  private prune(): void {
    const now = this.clock.now();
    for (const [k, at] of this.logins) if (at <= now) this.logins.delete(k);
    for (const [k, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(k);
  }
}

const key = (secret: string): string => digest(secret).toString('hex');

/** Drops the oldest entries (Maps iterate in insertion order) beyond max. */
function trim(map: Map<string, unknown>, max: number): void {
  for (const k of map.keys()) {
    if (map.size <= max) return;
    map.delete(k);
  }
}
