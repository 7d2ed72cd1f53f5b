/**
 * A strict HTTP/1.1 request parser for tests: what a load balancer forwards
 * must parse here, so that every target, however lenient, reads the same
 * requests. Written apart from shoal's own parser on purpose (a shared bug
 * would hide itself), from RFC 9112 with nothing tolerated:
 *   request-line  = token SP request-target SP "HTTP/1." DIGIT CRLF, the target
 *                   origin-form ("/" + visible ASCII or obs-text, no "#") or "*"
 *   field-line    = token ":" OWS value OWS CRLF; no obs-fold, no bare CR or LF,
 *                   no NUL; other control characters are let through in values
 *                   (no parser reads a field boundary or a framing into them), but
 *                   framing fields must hold exactly their grammar and Host must
 *                   be uri-host [":" port]
 *   framing       = at most one Content-Length (digits) or one Transfer-Encoding
 *                   ending in chunked, never both; HTTP/1.1 needs exactly one Host
 *   chunked body  = canonical: "<hex>" CRLF data CRLF ... "0" CRLF CRLF, with no
 *                   chunk extensions and no trailers (shoal re-encodes bodies so)
 */
export interface StrictRequest {
  method: string;
  target: string;
  version: string;
  headers: Array<[string, string]>;
  body: Buffer;
  framing: 'none' | 'length' | 'chunked';
  /** The request's bytes as received. */
  raw: Buffer;
}

export class StrictViolation extends Error {}

/** Just the first request of buf, or null while it is incomplete; throws StrictViolation if it deviates. */
export function parseFirstStrict(buf: Buffer, o: StrictOptions = {}): StrictRequest | null {
  return parseOne(buf, 0, o.chunkExtras === true)?.request ?? null;
}

export interface StrictResult {
  requests: StrictRequest[];
  /** Bytes after the last complete request (a request still arriving). */
  rest: Buffer;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const TARGET = /^(\/[\x21\x22\x24-\x7e\x80-\xff]*|\*)$/;
const VALUE = /^[^\r\n\0]*$/;
const HOST = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+;=%]*)(:[0-9]*)?$/;

export interface StrictOptions {
  /** Accept chunk extensions, whitespace after a chunk size and trailer fields (a client may send them; shoal never forwards them). */
  chunkExtras?: boolean;
}

/** Parses as many complete requests as buf holds; throws StrictViolation at the first deviation. */
export function parseStrict(buf: Buffer, o: StrictOptions = {}): StrictResult {
  const requests: StrictRequest[] = [];
  let at = 0;
  for (;;) {
    const r = parseOne(buf, at, o.chunkExtras === true);
    if (r === null) return { requests, rest: buf.subarray(at) };
    requests.push(r.request);
    at = r.end;
  }
}

function parseOne(buf: Buffer, start: number, extras: boolean): { request: StrictRequest; end: number } | null {
  const headEnd = buf.indexOf('\r\n\r\n', start, 'latin1');
  if (headEnd < 0) {
    checkPartialHead(buf.toString('latin1', start));
    return null;
  }
  const text = buf.toString('latin1', start, headEnd);
  const lines = text.split('\r\n');
  for (const l of lines) if (/[\r\n]/.test(l)) throw new StrictViolation(`bare CR or LF in ${JSON.stringify(l)}`);
  const m = /^([^ ]+) ([^ ]+) (HTTP\/1\.[0-9])$/.exec(lines[0]!);
  if (m === null) throw new StrictViolation(`bad request line ${JSON.stringify(lines[0])}`);
  const [, method, target, version] = m as unknown as [string, string, string, string];
  if (!TOKEN.test(method)) throw new StrictViolation(`method ${JSON.stringify(method)} is not a token`);
  if (!TARGET.test(target)) throw new StrictViolation(`request target ${JSON.stringify(target)} is not origin-form`);
  const headers = lines.slice(1).map(fieldLine);
  const framing = framingOf(headers, version);
  let end = headEnd + 4;
  let body: Buffer;
  if (framing.kind === 'length') {
    if (buf.length < end + framing.length) return null;
    body = buf.subarray(end, end + framing.length);
    end += framing.length;
  } else if (framing.kind === 'chunked') {
    const c = chunked(buf, end, extras);
    if (c === null) return null;
    body = c.body;
    end = c.end;
  } else {
    body = Buffer.alloc(0);
  }
  return { request: { method, target, version, headers, body, framing: framing.kind, raw: buf.subarray(start, end) }, end };
}

/** An incomplete head may not already break the grammar (a bare LF would otherwise just wait). */
function checkPartialHead(text: string): void {
  if (/\n/.test(text.replace(/\r\n/g, ''))) throw new StrictViolation(`bare LF in ${JSON.stringify(text.slice(0, 120))}`);
}

function fieldLine(line: string): [string, string] {
  if (line.startsWith(' ') || line.startsWith('\t')) throw new StrictViolation(`obs-fold line ${JSON.stringify(line)}`);
  const colon = line.indexOf(':');
  if (colon <= 0) throw new StrictViolation(`field line without a name ${JSON.stringify(line)}`);
  const name = line.slice(0, colon);
  if (!TOKEN.test(name)) throw new StrictViolation(`field name ${JSON.stringify(name)} is not a token`);
  const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
  if (!VALUE.test(value)) throw new StrictViolation(`field ${name} has a control character: ${JSON.stringify(value)}`);
  return [name, value];
}

type Framing = { kind: 'none' } | { kind: 'length'; length: number } | { kind: 'chunked' };

function framingOf(headers: Array<[string, string]>, version: string): Framing {
  const named = (n: string): string[] => headers.filter(([k]) => k.toLowerCase() === n).map(([, v]) => v);
  const hosts = named('host');
  if (version === 'HTTP/1.1' && hosts.length !== 1) throw new StrictViolation(`${hosts.length} Host fields in an HTTP/1.1 request`);
  if (hosts.length > 1) throw new StrictViolation('more than one Host field');
  if (hosts.length === 1 && !HOST.test(hosts[0]!)) throw new StrictViolation(`Host ${JSON.stringify(hosts[0])} is not host[:port]`);
  const cl = named('content-length');
  const te = named('transfer-encoding');
  if (cl.length > 1) throw new StrictViolation(`${cl.length} Content-Length fields`);
  if (te.length > 1) throw new StrictViolation(`${te.length} Transfer-Encoding fields`);
  if (cl.length === 1 && te.length === 1) throw new StrictViolation('both Content-Length and Transfer-Encoding');
  if (te.length === 1) {
    const codings = te[0]!.split(',').map((c) => c.trim().toLowerCase());
    if (version !== 'HTTP/1.1') throw new StrictViolation(`Transfer-Encoding in ${version}`);
    if (codings[codings.length - 1] !== 'chunked') throw new StrictViolation(`Transfer-Encoding ${JSON.stringify(te[0])} does not end in chunked`);
    if (codings.filter((c) => c === 'chunked').length > 1) throw new StrictViolation('chunked twice');
    return { kind: 'chunked' };
  }
  if (cl.length === 1) {
    if (!/^[0-9]+$/.test(cl[0]!)) throw new StrictViolation(`Content-Length ${JSON.stringify(cl[0])} is not a length`);
    return { kind: 'length', length: Number(cl[0]) };
  }
  return { kind: 'none' };
}

/** A canonical chunked body from buf[at..]; null while incomplete. */
function chunked(buf: Buffer, at: number, extras: boolean): { body: Buffer; end: number } | null {
  const parts: Buffer[] = [];
  for (;;) {
    const eol = buf.indexOf('\r\n', at, 'latin1');
    if (eol < 0) {
      if (!/^[0-9a-fA-F]*\r?$/.test(buf.toString('latin1', at))) throw new StrictViolation('chunk size line is not bare hex');
      return null;
    }
    const line = buf.toString('latin1', at, eol);
    const size = chunkSize(line, extras);
    at = eol + 2;
    if (size === 0) {
      const end = extras ? trailersEnd(buf, at) : at + 2;
      if (end < 0 || buf.length < end) return null;
      if (buf[end - 2] !== 13 || buf[end - 1] !== 10) throw new StrictViolation('trailer fields or no CRLF after the last chunk');
      return { body: Buffer.concat(parts), end };
    }
    if (buf.length < at + size + 2) return null;
    parts.push(buf.subarray(at, at + size));
    if (buf[at + size] !== 13 || buf[at + size + 1] !== 10) throw new StrictViolation('no CRLF after chunk data');
    at += size + 2;
  }
}

const CHUNK_EXT = /^[0-9a-fA-F]{1,8}[ \t]*(;[ \t]*[!#$%&'*+\-.^_`|~0-9A-Za-z]+([ \t]*=[ \t]*([!#$%&'*+\-.^_`|~0-9A-Za-z]+|"[^"\\\r\n]*"))?[ \t]*)*$/;

function chunkSize(line: string, extras: boolean): number {
  const ok = extras ? CHUNK_EXT.test(line) : /^[0-9a-fA-F]{1,8}$/.test(line);
  if (!ok) throw new StrictViolation(`chunk size line ${JSON.stringify(line)} is not canonical`);
  return parseInt(line, 16);
}

/** Where the trailer section starting at buf[at] ends (after its blank line), or -1 while incomplete. */
function trailersEnd(buf: Buffer, at: number): number {
  for (;;) {
    const eol = buf.indexOf('\r\n', at, 'latin1');
    if (eol < 0) return -1;
    if (eol === at) return at + 2;
    fieldLine(buf.toString('latin1', at, eol));
    at = eol + 2;
  }
}

/** The request's field value by lower-case name (the first), or undefined. */
export function fieldOf(r: StrictRequest, lowerName: string): string | undefined {
  return r.headers.find(([k]) => k.toLowerCase() === lowerName)?.[1];
}
