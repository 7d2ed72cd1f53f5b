/**
 * A target group's sticky sessions, as ALB does them (stickiness.* attributes):
 *   lb_cookie   the load balancer's own cookie, AWSALB (and AWSALBCORS, with
 *               SameSite=None; Secure, for cross-origin requests), set on every
 *               response for stickiness.lb_cookie.duration_seconds;
 *   app_cookie  follows the application's cookie (stickiness.app_cookie.cookie_name):
 *               whenever a response sets it, the load balancer adds AWSALBAPP-0
 *               naming the target, for stickiness.app_cookie.duration_seconds.
 * A request whose cookie names a target that is no longer a candidate
 * (unhealthy while others are healthy, draining, gone) is balanced as any
 * other, and its response re-pins the client to the new target.
 *
 * Called per request of sticky groups only.
 */
import type { Stickiness } from '../../model/target-group.js';
import { cookieValue, type StickyTokens } from './tokens.js';

export class StickyPolicy {
  private readonly cookie: string;
  private expiresTick = -1;
  private expires = '';

  constructor(
    private readonly group: string,
    private readonly s: Stickiness,
    private readonly tokens: StickyTokens,
  ) {
    this.cookie = s.type === 'app_cookie' ? 'AWSALBAPP-0' : 'AWSALB';
  }

  /** The target key the request's cookie pins it to, or null. */
  pinned(cookieHeader: string | undefined): string | null {
    const v = cookieValue(cookieHeader, this.cookie);
    return v === undefined ? null : this.tokens.decode(this.group, v);
  }

  /** Set-Cookie lines for a response from `key` ("" when none); `responseHead` is the target's head text. */
  responseLines(key: string, responseHead: string, tick: number): string {
    if (this.s.type === 'app_cookie' && !setsCookie(responseHead, this.s.cookieName!)) return '';
    const value = this.tokens.encode(this.group, key);
    const expires = this.expiry(tick);
    if (this.s.type === 'app_cookie') return `Set-Cookie: AWSALBAPP-0=${value}; Expires=${expires}; Path=/\r\n`;
    return `Set-Cookie: AWSALB=${value}; Expires=${expires}; Path=/\r\nSet-Cookie: AWSALBCORS=${value}; Expires=${expires}; Path=/; SameSite=None; Secure\r\n`;
  }

  private expiry(tick: number): string {
    if (tick !== this.expiresTick) {
      this.expiresTick = tick;
      this.expires = httpDate(tick + this.s.durationSeconds);
    }
    return this.expires;
  }
}

/** forwardConfig.targetGroupStickinessConfig: AWSALBTG pins a client to the target group it was first sent to. */
export class GroupStickiness {
  private expiresTick = -1;
  private expires = '';

  constructor(private readonly scope: string, private readonly durationSeconds: number, private readonly tokens: StickyTokens) {}

  pinned(cookieHeader: string | undefined): string | null {
    const v = cookieValue(cookieHeader, 'AWSALBTG');
    return v === undefined ? null : this.tokens.decode(this.scope, v);
  }

  responseLines(group: string, tick: number): string {
    if (tick !== this.expiresTick) {
      this.expiresTick = tick;
      this.expires = httpDate(tick + this.durationSeconds);
    }
    const v = this.tokens.encode(this.scope, group);
    return `Set-Cookie: AWSALBTG=${v}; Expires=${this.expires}; Path=/\r\nSet-Cookie: AWSALBTGCORS=${v}; Expires=${this.expires}; Path=/; SameSite=None; Secure\r\n`;
  }
}

/** The response sets cookie `name` (a Set-Cookie field whose value starts with name=). */
export function setsCookie(head: string, name: string): boolean {
  const lower = head.toLowerCase();
  const needle = '\r\nset-cookie:';
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) {
    const start = at + needle.length;
    const eol = head.indexOf('\r\n', start);
    const v = head.slice(start, eol < 0 ? undefined : eol).trimStart();
    if (v.startsWith(`${name}=`)) return true;
  }
  return false;
}

function httpDate(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toUTCString();
}
