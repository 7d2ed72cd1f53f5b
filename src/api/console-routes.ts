/**
 * Console login, as Jupyter's: `shoal up` prints /?login=<one-time token>;
 * opening it trades the token for a session cookie and redirects to / so the
 * token leaves the address bar. Without a session, / is a login page that
 * takes the API token. Also the session's own /_shoal/ calls: a new console
 * URL (for `shoal console-url`), the session's CSRF token, log out.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiAccess } from './auth/access.js';
import type { Principal } from './auth/authenticate.js';
import { matchCredentials } from './auth/authenticate.js';
import { clearedCookie, parseCookies, sessionCookie } from './auth/cookies.js';
import { ASSET_PREFIX, serveAsset } from './console-assets.js';
import { sameSecret } from './auth/secrets.js';
import type { Session } from './auth/sessions.js';
import { serveConsole } from './console.js';
import { serveLogin } from './login-page.js';

export interface ConsoleContext {
  access: ApiAccess;
  /** Set by the guard for /_shoal/ calls. */
  principal?: Principal;
}

export async function handleConsoleRoutes(req: IncomingMessage, res: ServerResponse, c: ConsoleContext): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://shoal');
  const route = `${req.method ?? ''} ${url.pathname}`;
  if (req.method === 'GET' && url.pathname.startsWith(ASSET_PREFIX)) return asset(req, res, c.access, url.pathname.slice(ASSET_PREFIX.length));
  switch (route) {
    case 'GET /':
    case 'GET /console':
      page(req, res, c.access, url.searchParams.get('login'));
      return true;
    case 'POST /login':
      await login(req, res, c.access);
      return true;
    case 'POST /_shoal/console-url': {
      const { url: consoleUrl, expiresAt } = c.access.consoleUrl();
      json(res, 200, { url: consoleUrl, expiresAt: new Date(expiresAt).toISOString() });
      return true;
    }
    case 'GET /_shoal/session':
      json(res, 200, c.principal?.kind === 'session' ? { kind: 'session', csrfToken: c.principal.session.csrfToken } : { kind: c.principal?.kind });
      return true;
    case 'POST /_shoal/logout':
      if (c.principal?.kind === 'session') c.access.sessions.close(c.principal.session.id);
      json(res, 200, {}, { 'set-cookie': clearedCookie(c.access.cookieName) });
      return true;
    default:
      return false;
  }
}

/** The bundle's files, to a logged-in session only (as the shell that loads them). */
function asset(req: IncomingMessage, res: ServerResponse, access: ApiAccess, name: string): boolean {
  if (!sessionOf(req, access)) {
    res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
    res.end('Log in to the console first (open / or the link `shoal up` printed).\n');
    return true;
  }
  return serveAsset(res, name);
}

function sessionOf(req: IncomingMessage, access: ApiAccess): Session | undefined {
  const id = parseCookies(req.headers.cookie).get(access.cookieName);
  return id === undefined ? undefined : access.sessions.find(id);
}

function page(req: IncomingMessage, res: ServerResponse, access: ApiAccess, login: string | null): void {
  if (login !== null) {
    const session = access.sessions.redeem(login);
    if (session) return startSession(res, access, session);
    return serveLogin(res, 403, 'This login link was already used or has expired (links work once, for 10 minutes). ' +
      'Run `shoal console-url -f FILE` for a new one, or paste the API token below.');
  }
  const id = parseCookies(req.headers.cookie).get(access.cookieName);
  const session = id === undefined ? undefined : access.sessions.find(id);
  if (session) return serveConsole(res, session.csrfToken);
  serveLogin(res, id === undefined ? 200 : 401, id === undefined ? undefined : 'Your console session has ended (the daemon restarted, or 24 hours passed); log in again.');
}

/**
 * The login form's POST. A form post from another site is refused by the
 * guard (Origin), and even if it were not, it could only open a session for
 * someone who already knows the token: there is nothing to forge.
 */
async function login(req: IncomingMessage, res: ServerResponse, access: ApiAccess): Promise<void> {
  const type = (req.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
  const body = await readSmall(req, 4096);
  const form = type === 'application/x-www-form-urlencoded' && body !== undefined ? new URLSearchParams(body) : new URLSearchParams();
  const token = form.get('token')?.trim();
  const keyId = form.get('accessKeyId')?.trim();
  if (keyId) {
    // The built-in default pair (test/test, for AWS CLI setups that need some key) opens no console session: anyone could type it.
    const pairs = access.credentials().filter((c) => !(c.accessKeyId === 'test' && c.secretAccessKey === 'test'));
    if (matchCredentials(pairs, keyId, form.get('secretAccessKey')?.trim() ?? '') === undefined) {
      return serveLogin(res, 403, 'That access key id and secret are not a pair of api.credentials in the config file ' +
        '(the built-in default test/test does not open the console: set your own pair).');
    }
  } else if (!token || !sameSecret(token, access.token)) {
    return serveLogin(res, 403, "That is not this daemon's API token (it changes each time the daemon starts; read the file again).");
  }
  startSession(res, access, access.sessions.open());
}

function startSession(res: ServerResponse, access: ApiAccess, session: Session): void {
  res.writeHead(303, {
    location: '/',
    'set-cookie': sessionCookie({ name: access.cookieName, value: session.id, secure: false }),
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-length': 0,
  });
  res.end();
}

/** The body as text, or undefined past max bytes. */
async function readSmall(req: IncomingMessage, max: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > max) return undefined;
    chunks.push(c);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
