/**
 * Calling a test daemon's API as the CLI does (with its API token), and raw
 * requests that set every header themselves (Host, Origin, Cookie, ...), for
 * the security tests.
 */
import { request, type IncomingHttpHeaders } from 'node:http';
import type { Daemon } from '../../src/daemon/daemon.js';
import type { Endpoint } from '../../src/cli/client.js';

/** What callApi needs to reach a daemon with its token. */
export function endpointOf(daemon: Daemon): Endpoint {
  return { address: daemon.apiAddress(), token: daemon.apiToken, tokenNote: 'the test sent the daemon\'s token' };
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: any;
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** One request on a fresh connection; headers are sent as given (a Host given here replaces node's). */
export function rawApi(address: string, r: RawRequest): Promise<Answer> {
  const i = address.lastIndexOf(':');
  const host = address.slice(0, i).replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const req = request({ host, port: Number(address.slice(i + 1)), method: r.method ?? 'GET', path: r.path, headers: r.headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(r.body);
  });
}

/** An authenticated JSON call (bearer token), answering status and body whatever the status. */
export function api(daemon: Daemon, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${daemon.apiToken}` };
  if (method !== 'GET') headers['content-type'] = 'application/json';
  return rawApi(daemon.apiAddress(), { method, path, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

export interface ConsoleSession {
  /** "name=value", for a Cookie header. */
  cookie: string;
  /** The whole Set-Cookie the login answered. */
  setCookie: string;
  /** From the console page's meta tag. */
  csrf: string;
}

/** Logs in as a browser does: the one-time console URL, then the console page for its CSRF token. */
export async function consoleSession(daemon: Daemon): Promise<ConsoleSession> {
  const url = new URL(daemon.consoleUrl());
  const login = await rawApi(daemon.apiAddress(), { path: url.pathname + url.search, headers: { host: url.host } });
  if (login.status !== 303) throw new Error(`login answered ${login.status}: ${login.text}`);
  const setCookie = String(login.headers['set-cookie']?.[0]);
  const cookie = setCookie.split(';')[0]!;
  const page = await rawApi(daemon.apiAddress(), { path: '/', headers: { cookie } });
  const csrf = /<meta name="shoal-csrf" content="([0-9a-f]+)">/.exec(page.text)?.[1];
  if (!csrf) throw new Error(`no CSRF token in the console page (${page.status})`);
  return { cookie, setCookie, csrf };
}
