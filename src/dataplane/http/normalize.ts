/**
 * What a request must look like before it may reach a target: the pieces a
 * target interprets (request target, Host, version, framing field names) are
 * either made canonical here or rejected, so that what shoal routed on is what
 * every target reads (issue 8). RFC 9112 3.2 and 3.2.2, 5.1, 6.1.
 *
 * API
 *   requestTarget(target, method) -> { target, authority }
 *     origin-form stays (bytes a target could split on are percent-encoded:
 *     controls, space, '#', DEL); absolute-form becomes origin-form and its
 *     authority the Host; asterisk-form only for OPTIONS. Anything else
 *     (authority-form, a bare word) throws HttpParseError 400.
 *   checkHost(value): throws HttpParseError 400 unless value is
 *     uri-host [":" port] (no whitespace, no list).
 *   targetIsPlain(target): the common case needs none of the above.
 *   readsAsFraming(lowerName): Transfer-Encoding, Content-Length, or a name
 *     some servers would read as one of them ("transfer_encoding", "content-length ").
 *
 * Called per request: targetIsPlain is one regex test; the rest runs only for
 * requests that need it.
 */
import { HttpParseError } from './request-head.js';
import { sameLetters } from './desync-text.js';

/** origin-form whose every byte any parser reads the same way (obs-text bytes pass as they came). */
const PLAIN_TARGET = /^\/[\x21\x22\x24-\x7e\x80-\xff]*$/;
/** Bytes percent-encoded in a forwarded target. */
const UNSAFE = /[\x00-\x20\x23\x7f]/g;
/** uri-host [":" port]: reg-name, IPv4 or an IP literal in brackets; no comma (lists), no whitespace. */
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+;=%]*)(?::[0-9]*)?$/;
const ABSOLUTE = /^https?:\/\//i;

export interface NormalTarget {
  target: string;
  /** The authority of an absolute-form target (it replaces Host), else null. */
  authority: string | null;
}

export function targetIsPlain(target: string): boolean {
  return PLAIN_TARGET.test(target);
}

export function requestTarget(target: string, method: string): NormalTarget {
  if (target === '*') {
    if (method !== 'OPTIONS') throw badTarget('asterisk-form "*" is for OPTIONS only');
    return { target, authority: null };
  }
  if (target.charCodeAt(0) === 47) return { target: encodeUnsafe(target), authority: null }; // '/'
  const scheme = ABSOLUTE.exec(target);
  if (scheme === null) throw badTarget('the request target must be a path ("/...") or an absolute http(s) URI');
  const rest = target.slice(scheme[0].length);
  let end = rest.length;
  for (const c of '/?#') {
    const i = rest.indexOf(c);
    if (i >= 0 && i < end) end = i;
  }
  const authority = rest.slice(0, end);
  if (authority === '' || authority.includes('@')) throw badTarget('the absolute URI needs a host and no user info');
  checkHost(authority);
  let path = rest.slice(end);
  if (path === '' || path.charCodeAt(0) !== 47) path = `/${path}`;
  return { target: encodeUnsafe(path), authority };
}

export function checkHost(value: string): void {
  if (!HOST.test(value)) throw new HttpParseError('BadHost', 'the Host header must be one host[:port]');
}

export function readsAsFraming(lowerName: string): boolean {
  return lowerName.length >= 14 && (sameLetters(lowerName, 'transfer-encoding') || sameLetters(lowerName, 'content-length'));
}

function encodeUnsafe(target: string): string {
  return target.replace(UNSAFE, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function badTarget(why: string): HttpParseError {
  return new HttpParseError('BadRequestTarget', why);
}
