/**
 * Who is calling: the seam every credential kind plugs into. Today two kinds
 * are accepted under /_shoal/: the daemon's API token as `Authorization:
 * Bearer <token>` (the CLI, scripts) and the console's session cookie. The
 * AWS API's SigV4 signatures (src/api/aws) will be a third CredentialKind,
 * claiming `Authorization: AWS4-HMAC-SHA256 ...`.
 */
import type { IncomingMessage } from 'node:http';
import { parseCookies } from './cookies.js';
import { sameSecret } from './secrets.js';
import type { Session, Sessions } from './sessions.js';
import type { ApiCredentials } from '../../model/config.js';

export type Principal = { kind: 'token' } | { kind: 'session'; session: Session } | { kind: 'credentials'; accessKeyId: string };

/** A refused request: its status and AWS-style {code, message}. Nothing has happened. */
export interface Refusal {
  status: number;
  code: string;
  message: string;
}

export type AuthResult = { principal: Principal } | { refusal: Refusal };

/** One kind of credential. undefined: the request does not carry this kind (the next kind looks). */
export interface CredentialKind {
  check(req: IncomingMessage): AuthResult | undefined;
}

export const HOW_TO_AUTHENTICATE =
  "The shoal CLI reads the daemon's API token from <stateDir>/api-token when it has the config " +
  '(-f FILE, SHOAL_CONFIG=FILE, or ./shoal.yaml); else pass --api-token or set SHOAL_TOKEN to that file\'s contents. ' +
  'Other clients send "Authorization: Bearer <token>". In a browser, open the console link `shoal up` printed ' +
  '(a new one: `shoal console-url -f FILE`).';

export function authenticate(req: IncomingMessage, kinds: readonly CredentialKind[]): AuthResult {
  for (const kind of kinds) {
    const r = kind.check(req);
    if (r) return r;
  }
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const scheme = auth.split(' ', 1)[0]!.slice(0, 40);
    return refuse(401, 'MissingAuthenticationToken', `The Authorization scheme "${scheme}" is not accepted here; use "Bearer <token>". ${HOW_TO_AUTHENTICATE}`);
  }
  return refuse(401, 'MissingAuthenticationToken', `This call needs credentials. ${HOW_TO_AUTHENTICATE}`);
}

/** `Authorization: Bearer <token>`, compared in constant time. */
export function bearerToken(token: string): CredentialKind {
  return {
    check(req) {
      const m = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '');
      if (!m) return undefined;
      if (sameSecret(m[1]!, token)) return { principal: { kind: 'token' } };
      return refuse(403, 'InvalidClientTokenId',
        "The API token is not this daemon's. The daemon writes a new one to <stateDir>/api-token each time it starts: " +
        'read it again (a SHOAL_TOKEN or --api-token from before a restart is stale).');
    },
  };
}

/**
 * `Authorization: Basic base64(accessKeyId:secretAccessKey)` with a pair of api.credentials: what a
 * scraper configured once can send (Prometheus' basic_auth), as the API token changes at every start.
 * Accepted on GET /metrics only (access.ts).
 */
export function basicCredentials(credentials: () => readonly ApiCredentials[]): CredentialKind {
  return {
    check(req) {
      const m = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(req.headers.authorization ?? '');
      if (!m) return undefined;
      const text = Buffer.from(m[1]!, 'base64').toString('utf8');
      const i = text.indexOf(':');
      const id = text.slice(0, Math.max(0, i));
      const secret = text.slice(i + 1);
      // Every pair is compared (no early exit on the id), each in constant time.
      let found: string | undefined;
      for (const c of credentials()) if (sameSecret(id, c.accessKeyId) && sameSecret(secret, c.secretAccessKey) && i >= 0) found = c.accessKeyId;
      if (found !== undefined) return { principal: { kind: 'credentials', accessKeyId: found } };
      return refuse(403, 'InvalidClientTokenId', 'The user name and password are not a pair of api.credentials (accessKeyId and secretAccessKey).');
    },
  };
}

/** The console's session cookie (its name carries the port: cookies.ts). */
export function sessionCookie(sessions: Sessions, cookieName: string): CredentialKind {
  return {
    check(req) {
      const id = parseCookies(req.headers.cookie).get(cookieName);
      if (id === undefined) return undefined;
      const session = sessions.find(id);
      if (session) return { principal: { kind: 'session', session } };
      return refuse(403, 'InvalidClientTokenId',
        'The console session has ended (the daemon restarted, or 24 hours passed): reload the page to log in again.');
    },
  };
}

export function refuse(status: number, code: string, message: string): { refusal: Refusal } {
  return { refusal: { status, code, message } };
}
