/**
 * HTTP desync classification as AWS ALB does it (the tiers and reasons of
 * aws/http-desync-guardian), plus the body framing the proxy must use.
 *
 * API
 *   classifyRequest(head) -> Verdict { tier, reason, message, framing }
 *     tier: Compliant < Acceptable < Ambiguous < Severe. The first finding of
 *     the highest tier names the reason; message names the offending
 *     header/value (values of headers other than Transfer-Encoding and
 *     Content-Length are obfuscated: only their bad characters are shown).
 *     framing: how the request body ends — none, a length, or chunked; null
 *     when it cannot be determined (conflicting/invalid Content-Length, a
 *     Transfer-Encoding whose last coding is not chunked, Transfer-Encoding in
 *     HTTP/1.0 (RFC 9112 6.1), a body length in HTTP/0.9). Framing only trusts
 *     exactly-named headers; look-alikes ("Content_Length") raise the tier.
 *   decide(verdict, mode) -> 'forward' | 'forward-and-close' | 'reject'
 *     ALB's desync mitigation table (see decide).
 *
 * Called once per request after parseRequestHead: one pass over each
 * header's characters; names shorter than "content-length" skip the
 * look-alike checks; messages are only built for non-compliant requests.
 */
import type { RequestHead } from './request-head.js';
import {
  NAME_CLASS, NOT_TCHAR, NOT_URI_CHAR, NOT_VALUE_CHAR, URI_CLASS, VALUE_CLASS,
  isNamed, obfuscated, quoted, sameLetters, scan, trimWs,
} from './desync-text.js';

export type Tier = 'Compliant' | 'Acceptable' | 'Ambiguous' | 'Severe';
export type Reason =
  | 'Compliant' | 'EmptyHeader' | 'SuspiciousHeader' | 'NonCompliantHeader' | 'BadHeader'
  | 'AmbiguousUri' | 'BadUri' | 'SpaceInUri' | 'BadMethod' | 'NonCompliantVersion' | 'BadVersion'
  | 'UndefinedContentLengthSemantics' | 'MultipleContentLength' | 'DuplicateContentLength'
  | 'BadContentLength' | 'GetHeadZeroContentLength' | 'UndefinedTransferEncodingSemantics'
  | 'MultipleTransferEncodingChunked' | 'BadTransferEncoding' | 'BothTeClPresent'
  | 'MultilineHeader' | 'NonCrLfLineTermination';
export type BodyFraming = { kind: 'none' } | { kind: 'length'; length: number } | { kind: 'chunked' };
export interface Verdict {
  tier: Tier;
  reason: Reason;
  /** '' when Compliant. */
  message: string;
  /** null: the body's end cannot be determined; the request must be answered 400 in every mode. */
  framing: BodyFraming | null;
}
export type MitigationMode = 'monitor' | 'defensive' | 'strictest';
export type Decision = 'forward' | 'forward-and-close' | 'reject';

const TIERS: readonly Tier[] = ['Compliant', 'Acceptable', 'Ambiguous', 'Severe'];
const ACCEPTABLE = 1;
const AMBIGUOUS = 2;
const SEVERE = 3;

/**
 * ALB's table: Compliant is forwarded in every mode; Acceptable in monitor and
 * defensive (strictest only lets RFC 7230 compliant requests through);
 * Ambiguous is forwarded in monitor, forwarded with both the client and the
 * target connection closed afterwards in defensive, blocked in strictest;
 * Severe is forwarded in monitor and blocked (400, connection closed) in
 * defensive and strictest.
 * Unlike ALB, monitor mode still rejects a request whose framing is unknown:
 * without knowing where its body ends we cannot proxy it at all.
 */
export function decide(verdict: Verdict, mode: MitigationMode): Decision {
  if (verdict.framing === null) return 'reject';
  switch (verdict.tier) {
    case 'Compliant': return 'forward';
    case 'Acceptable': return mode === 'strictest' ? 'reject' : 'forward';
    case 'Ambiguous': return mode === 'monitor' ? 'forward' : mode === 'defensive' ? 'forward-and-close' : 'reject';
    case 'Severe': return mode === 'monitor' ? 'forward' : 'reject';
  }
}

// What a finding is about: a header (its index in head.headers, >= 0) or one of these.
const ON_METHOD = -1;
const ON_VERSION = -2;
const ON_URI = -3;

/** The highest finding so far; the first one wins within a tier. */
class Finding {
  rank = 0;
  reason: Reason = 'Compliant';
  on = 0;
  note = '';

  raise(rank: number, reason: Reason, on: number, note = ''): void {
    if (rank <= this.rank) return;
    this.rank = rank;
    this.reason = reason;
    this.on = on;
    this.note = note;
  }
}

const TE = 'transfer-encoding';
const CL = 'content-length';
const NONE: BodyFraming = Object.freeze({ kind: 'none' });
const CHUNKED: BodyFraming = Object.freeze({ kind: 'chunked' });

export function classifyRequest(head: RequestHead): Verdict {
  const f = new Finding();
  const h = head.headers;
  let te: number[] | null = null;
  let cl: number[] | null = null;
  let lastTe = -1;
  let anyCl = false;
  for (let i = 0; i < h.length; i += 2) {
    const name = h[i];
    const exact = isNamed(name, TE) ? 1 : isNamed(name, CL) ? 2 : 0;
    const tier = Math.max(scan(name, NAME_CLASS, NOT_TCHAR), scan(h[i + 1], VALUE_CLASS, NOT_VALUE_CHAR));
    if (tier === 2) f.raise(SEVERE, 'BadHeader', i);
    else if (tier === 1) f.raise(ACCEPTABLE, 'NonCompliantHeader', i);
    if (isEmptyName(name)) {
      f.raise(AMBIGUOUS, 'EmptyHeader', i);
    } else if (exact === 1) {
      (te ??= []).push(i);
      lastTe = i;
    } else if (exact === 2) {
      (cl ??= []).push(i);
      anyCl = true;
    } else if (tier !== 2 && name.length >= CL.length) {
      // Look-alikes some servers normalize ("Transfer_Encoding", " Content-Length").
      const like = sameLetters(name, TE) ? TE : sameLetters(name, CL) ? CL : null;
      if (like !== null) {
        f.raise(AMBIGUOUS, 'SuspiciousHeader', i, `too close to "${like}"`);
        if (like === TE) (te ??= []).push(i);
        else (cl ??= []).push(i);
      }
    }
  }
  const version = httpVersion(head.version);
  if (te !== null || cl !== null) checkBodyHeaders(f, head, version, te, cl);
  checkMethod(f, head.method);
  checkVersion(f, head.version);
  checkUri(f, head);
  if (head.foldedAt >= 0) f.raise(AMBIGUOUS, 'MultilineHeader', head.foldedAt, 'starts a line with whitespace (obs-fold)');
  if (head.bareLf) f.raise(ACCEPTABLE, 'NonCrLfLineTermination', ON_VERSION, 'lines end with LF, not CRLF');
  return {
    tier: TIERS[f.rank],
    reason: f.reason,
    message: f.rank === 0 ? '' : describe(f, head),
    framing: bodyFraming(h, version, lastTe, anyCl),
  };
}

/** Empty version means HTTP/0.9; used for semantics and messages. */
function httpVersion(v: string): string {
  return trimWs(v).length === 0 ? 'HTTP/0.9' : v;
}

function isEmptyName(name: string): boolean {
  const t = trimWs(name);
  return t.length === 0 || t.charCodeAt(0) === 58; // ':'
}

// Version comparisons are lexicographic, as in the reference classifier.
function checkBodyHeaders(f: Finding, head: RequestHead, version: string, te: number[] | null, cl: number[] | null): void {
  if (te !== null && version <= 'HTTP/1.0') {
    f.raise(AMBIGUOUS, 'UndefinedTransferEncodingSemantics', ON_VERSION, 'has no Transfer-Encoding');
    return;
  }
  if (cl !== null && version < 'HTTP/1.0') {
    f.raise(AMBIGUOUS, 'UndefinedContentLengthSemantics', ON_VERSION, 'has no Content-Length');
    return;
  }
  if (te !== null) checkTransferEncoding(f, head.headers, te);
  const length = cl === null ? -1 : checkContentLength(f, head.headers, cl);
  if (head.method === 'GET' || head.method === 'HEAD') {
    // RFC 7231 4.3: a body on GET/HEAD has no defined semantics.
    if (te !== null) f.raise(AMBIGUOUS, 'UndefinedTransferEncodingSemantics', ON_METHOD, 'has Transfer-Encoding');
    if (length === 0) f.raise(ACCEPTABLE, 'GetHeadZeroContentLength', ON_METHOD, 'has Content-Length: 0');
    else if (length > 0) f.raise(AMBIGUOUS, 'UndefinedContentLengthSemantics', ON_METHOD, `has Content-Length: ${length}`);
  }
  if (te !== null && cl !== null && length >= 0) f.raise(AMBIGUOUS, 'BothTeClPresent', cl[0], 'with Transfer-Encoding');
}

function checkTransferEncoding(f: Finding, h: string[], te: number[]): void {
  let prevChunked = false;
  for (const i of te) {
    const v = h[i + 1];
    for (let s = 0; s <= v.length;) {
      let e = v.indexOf(',', s);
      if (e < 0) e = v.length;
      const c = coding(v, s, e);
      if (c === '') f.raise(SEVERE, 'BadTransferEncoding', i, 'unknown coding');
      else if (c === 'chunked' && prevChunked) f.raise(SEVERE, 'MultipleTransferEncodingChunked', i, 'chunked twice');
      if (c !== '') prevChunked = c === 'chunked';
      s = e + 1;
    }
  }
}

const CODINGS = ['chunked', 'gzip', 'deflate', 'compress', 'identity'];

/** The known coding in v[s, e) ("chunked;ext" counts as chunked), or '' when unknown. */
function coding(v: string, s: number, e: number): string {
  const semi = v.indexOf(';', s);
  if (semi >= 0 && semi < e) e = semi;
  const name = trimWs(v.slice(s, e)).toLowerCase();
  return CODINGS.includes(name) ? name : '';
}

/** Checks every Content-Length; returns the first valid value, or -1. */
function checkContentLength(f: Finding, h: string[], cl: number[]): number {
  let length = -1;
  for (const i of cl) {
    const n = parseLength(h[i + 1]);
    if (n < 0) f.raise(SEVERE, 'BadContentLength', i, 'is not a decimal length');
    else if (length < 0) length = n;
    else if (n !== length) f.raise(SEVERE, 'MultipleContentLength', i, `differs from ${length}`);
    else f.raise(AMBIGUOUS, 'DuplicateContentLength', i, 'repeated');
  }
  return length;
}

/** 1*DIGIT up to 2^53-1; -1 otherwise (empty, signs, lists, overflow). */
export function parseLength(v: string): number {
  if (v.length === 0 || v.length > 16) return -1;
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const d = v.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n <= Number.MAX_SAFE_INTEGER ? n : -1;
}

function checkMethod(f: Finding, method: string): void {
  if (scan(method, NAME_CLASS, NOT_TCHAR) !== 0) f.raise(SEVERE, 'BadMethod', ON_METHOD, 'is not a token');
}

function checkVersion(f: Finding, raw: string): void {
  if (raw === 'HTTP/1.1' || raw === 'HTTP/1.0') return;
  const v = trimWs(raw);
  if (v.length === 0 || v === 'HTTP/0.9') {
    f.raise(ACCEPTABLE, 'NonCompliantVersion', ON_VERSION, 'is HTTP/0.9');
    return;
  }
  const minor = v.charCodeAt(7) - 48;
  if (v.length !== 8 || !v.startsWith('HTTP/1.') || minor < 0 || minor > 9) {
    f.raise(SEVERE, 'BadVersion', ON_VERSION);
  } else if (v.length !== raw.length || minor > 1) {
    f.raise(ACCEPTABLE, 'NonCompliantVersion', ON_VERSION);
  }
}

function checkUri(f: Finding, head: RequestHead): void {
  const uri = head.target;
  if (!NOT_URI_CHAR.test(uri)) return;
  for (let i = 0; i < uri.length; i++) {
    const k = URI_CLASS[uri.charCodeAt(i) & 255];
    if (k === 0) continue;
    if (k === 2) return f.raise(SEVERE, 'BadUri', ON_URI);
    if (k === 3) f.raise(ACCEPTABLE, 'SpaceInUri', ON_URI);
    // A control character where the version should be: servers that split
    // on any whitespace (RFC 7230 3.5) read a different request line.
    else if (head.version === '') return f.raise(SEVERE, 'BadUri', ON_URI, 'hides the HTTP version');
    else f.raise(AMBIGUOUS, 'AmbiguousUri', ON_URI);
  }
}

function bodyFraming(h: string[], version: string, lastTe: number, anyCl: boolean): BodyFraming | null {
  if (lastTe >= 0) {
    if (version <= 'HTTP/1.0') return null; // RFC 9112 6.1: treat as faulty framing
    const v = h[lastTe + 1];
    return coding(v, v.lastIndexOf(',') + 1, v.length) === 'chunked' ? CHUNKED : null;
  }
  if (!anyCl) return NONE;
  if (version < 'HTTP/1.0') return null; // HTTP/0.9 has no request body
  let length = -1;
  for (let i = 0; i < h.length; i += 2) {
    if (!isNamed(h[i], CL)) continue;
    const n = parseLength(h[i + 1]);
    if (n < 0 || (length >= 0 && n !== length)) return null;
    length = n;
  }
  return length === 0 ? NONE : { kind: 'length', length };
}

function describe(f: Finding, head: RequestHead): string {
  const what = f.on >= 0 ? describeHeader(head.headers, f.on)
    : f.on === ON_METHOD ? `method ${quoted(head.method)}`
    : f.on === ON_VERSION ? `version ${quoted(httpVersion(head.version))}`
    : `URI ${obfuscated(head.target)}`;
  return `${TIERS[f.rank]} ${f.reason}: ${what}${f.note === '' ? '' : ` ${f.note}`}`;
}

function describeHeader(h: string[], i: number): string {
  const name = h[i];
  // Framing headers are shown in full; other values may carry secrets (cookies, tokens).
  const value = isNamed(name, TE) || isNamed(name, CL) ? quoted(h[i + 1]) : obfuscated(h[i + 1]);
  return `header ${quoted(name)}: ${value}`;
}

