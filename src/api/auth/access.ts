/**
 * Everything the API listener needs to decide who may do what: the API token
 * (written to <stateDir>/api-token at start), console sessions, the Host
 * policy and the credential kinds. One per daemon run.
 */
import type { Clock } from '../../core/clock.js';
import { isWildcardHost } from '../../core/addresses.js';
import { basicCredentials, bearerToken, sessionCookie, type CredentialKind } from './authenticate.js';
import type { ApiCredentials } from '../../model/config.js';
import { sessionCookieName } from './cookies.js';
import type { HostPolicy } from './hosts.js';
import { newSecret } from './secrets.js';
import { Sessions } from './sessions.js';
import { writeTokenFile } from './token-file.js';

export interface ApiAccessOptions {
  /** api.listen, "host:port" or "[v6]:port". */
  listen: string;
  allowedHosts: readonly string[];
  stateDir: string;
  clock: Clock;
  /** api.credentials: also accepted (HTTP Basic) on GET /metrics. */
  credentials: () => readonly ApiCredentials[];
  /** api.metrics.public: GET /metrics needs no credentials. */
  metricsPublic: boolean;
}

export class ApiAccess {
  readonly token = newSecret();
  readonly tokenPath: string;
  readonly sessions: Sessions;
  readonly policy: HostPolicy;
  readonly cookieName: string;
  readonly kinds: readonly CredentialKind[];
  /** What GET /metrics accepts: the same, plus an api.credentials pair as HTTP Basic; none when public. */
  readonly metricsKinds: readonly CredentialKind[] | null;

  constructor(o: ApiAccessOptions) {
    const i = o.listen.lastIndexOf(':');
    const host = o.listen.slice(0, i).replace(/^\[|\]$/g, '');
    this.policy = { listenHost: host, port: Number(o.listen.slice(i + 1)), allowedHosts: [...o.allowedHosts] };
    this.tokenPath = writeTokenFile(o.stateDir, this.token);
    this.sessions = new Sessions(o.clock);
    this.cookieName = sessionCookieName(this.policy.port);
    this.kinds = [bearerToken(this.token), sessionCookie(this.sessions, this.cookieName)];
    this.metricsKinds = o.metricsPublic ? null : [...this.kinds, basicCredentials(o.credentials)];
  }

  /** http://host:port, with a loopback address for a wildcard listener (what a browser on this machine opens). */
  baseUrl(): string {
    const { listenHost: h, port } = this.policy;
    const host = isWildcardHost(h) ? (h.includes(':') ? '[::1]' : '127.0.0.1') : h.includes(':') ? `[${h}]` : h;
    return `http://${host}:${port}`;
  }

  /** A console URL with a new one-time login token (single use, 10 minutes). */
  consoleUrl(): { url: string; expiresAt: number } {
    const { token, expiresAt } = this.sessions.issueLoginToken();
    return { url: `${this.baseUrl()}/?login=${token}`, expiresAt };
  }
}
