/**
 * The framing table for test/e2e/smuggling.test.ts: request-smuggling cases
 * (CL.TE, TE.CL, TE.TE with obfuscated Transfer-Encoding, duplicate and
 * malformed Content-Length, chunk-size and chunk-extension abuse, pipelining
 * after a body, bare LF and obs-fold in framing headers, Host tricks, request
 * line tricks), each with what the target must read and what the client must
 * get in each desync mitigation mode.
 */
export type Mode = 'monitor' | 'defensive' | 'strictest';
export const MODES: Mode[] = ['monitor', 'defensive', 'strictest'];

/** One request as the target must read it. */
export interface Read {
  target: string;
  method?: string;
  version?: string;
  body?: string;
  host?: string | null;
  /** Fields that must be absent (lower-case names). */
  absent?: string[];
  /** Fields that must be present with exactly this value (lower-case names). */
  fields?: Record<string, string>;
}

export type Outcome =
  /** 400 from shoal, the connection closed, nothing complete reached the target. */
  | { kind: 'reject' }
  /** The target read exactly these requests (its echoes reach the client in order); then the client connection is closed or not. */
  | { kind: 'forward'; reads: Read[]; close: boolean }
  /** shoal answered itself with this body (a fixed-response rule), nothing reached the target. */
  | { kind: 'fixed'; body: string }
  /** Nothing is answered yet (the body is still arriving as far as shoal is concerned); the target has no complete request. */
  | { kind: 'pending' };

export interface Case {
  name: string;
  send: string;
  expect: Record<Mode, Outcome>;
  /** shoal had to repair the framing or cannot be sure of it: the upstream connection must not be reused. */
  repaired: boolean;
}

const reject: Outcome = { kind: 'reject' };
const fwd = (reads: Read[], close = false): Outcome => ({ kind: 'forward', reads, close });

function rejectAll(name: string, send: string): Case {
  return { name, send, expect: { monitor: reject, defensive: reject, strictest: reject }, repaired: true };
}
function compliant(name: string, send: string, reads: Read[]): Case {
  return { name, send, expect: { monitor: fwd(reads), defensive: fwd(reads), strictest: fwd(reads) }, repaired: false };
}
function acceptable(name: string, send: string, reads: Read[]): Case {
  return { name, send, expect: { monitor: fwd(reads), defensive: fwd(reads), strictest: reject }, repaired: true };
}
/** ALB: forwarded in monitor; forwarded, then both connections closed, in defensive; blocked in strictest. */
function ambiguous(name: string, send: string, reads: Read[], monitorReads = reads): Case {
  return { name, send, expect: { monitor: fwd(monitorReads), defensive: fwd(reads, true), strictest: reject }, repaired: true };
}
function severeForwarded(name: string, send: string, reads: Read[]): Case {
  return { name, send, expect: { monitor: fwd(reads), defensive: reject, strictest: reject }, repaired: true };
}
function allModes(name: string, send: string, o: Outcome, repaired = false): Case {
  return { name, send, expect: { monitor: o, defensive: o, strictest: o }, repaired };
}

const post = (path: string, fields: string, body: string): string => `POST ${path} HTTP/1.1\r\nHost: t\r\n${fields}\r\n${body}`;
const chunkedOnly = { absent: ['content-length'], fields: { 'transfer-encoding': 'chunked' } };
const lengthOnly = (n: number): Pick<Read, 'absent' | 'fields'> => ({ absent: ['transfer-encoding'], fields: { 'content-length': String(n) } });

export const CASES: Case[] = [
  // CL.TE and TE.CL: Transfer-Encoding wins (RFC 9112 6.3), and the Content-Length never reaches the target.
  ambiguous('CL.TE: Content-Length 4, then chunked', post('/clte', 'Content-Length: 4\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\n'),
    [{ target: '/clte', body: '', ...chunkedOnly }]),
  ambiguous('CL.TE: a Content-Length that would leave "G" for the next request', post('/clte-g', 'Content-Length: 6\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\nG'),
    [{ target: '/clte-g', body: '', ...chunkedOnly }]),
  ambiguous('TE.CL: chunked, then Content-Length 3', post('/tecl', 'Transfer-Encoding: chunked\r\nContent-Length: 3\r\n', '8\r\nSMUGGLED\r\n0\r\n\r\n'),
    [{ target: '/tecl', body: 'SMUGGLED', ...chunkedOnly }]),
  ambiguous('CL.TE smuggling a GET: shoal reads it as the client\'s next request, never inside the first',
    post('/clte-smuggle', 'Content-Length: 44\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n'),
    [{ target: '/clte-smuggle', body: '', ...chunkedOnly }],
    [{ target: '/clte-smuggle', body: '', ...chunkedOnly }, { target: '/smuggled', body: '' }]),
  // TE.TE: obfuscated Transfer-Encoding values and names.
  rejectAll('TE.TE: chunked, then an unknown coding in a second field', post('/tete-x', 'Transfer-Encoding: chunked\r\nTransfer-Encoding: x\r\nContent-Length: 5\r\n', 'hello')),
  rejectAll('TE.TE: "xchunked"', post('/tete-xchunked', 'Transfer-Encoding: xchunked\r\nContent-Length: 5\r\n', 'hello')),
  rejectAll('TE.TE: "chunked" with a vertical tab', post('/tete-vt', 'Transfer-Encoding: chunked\x0b\r\nContent-Length: 5\r\n', 'hello')),
  rejectAll('TE.TE: "chunked, identity" (chunked not last)', post('/tete-ci', 'Transfer-Encoding: chunked, identity\r\nContent-Length: 5\r\n', 'hello')),
  ambiguous('TE.TE: "Transfer-Encoding :" (space before the colon) is not Transfer-Encoding', post('/tete-space', 'Transfer-Encoding : chunked\r\nContent-Length: 5\r\n', 'hello'),
    [{ target: '/tete-space', body: 'hello', ...lengthOnly(5) }]),
  ambiguous('TE.TE: "Transfer_Encoding" is not Transfer-Encoding', post('/tete-underscore', 'Transfer_Encoding: chunked\r\nContent-Length: 5\r\n', 'hello'),
    [{ target: '/tete-underscore', body: 'hello', absent: ['transfer-encoding', 'transfer_encoding'], fields: { 'content-length': '5' } }]),
  ambiguous('TE.TE: a whitespace-led " Transfer-Encoding" line', post('/tete-lead', 'X-A: 1\r\n Transfer-Encoding: chunked\r\nContent-Length: 5\r\n', 'hello'),
    [{ target: '/tete-lead', body: 'hello', ...lengthOnly(5) }]),
  compliant('TE: "Chunked" in capitals', post('/te-caps', 'Transfer-Encoding: Chunked\r\n', '5\r\nhello\r\n0\r\n\r\n'),
    [{ target: '/te-caps', body: 'hello', absent: ['content-length'] }]),
  compliant('TE: "gzip, chunked" keeps gzip', post('/te-gzip', 'Transfer-Encoding: gzip, chunked\r\n', '5\r\nhello\r\n0\r\n\r\n'),
    [{ target: '/te-gzip', body: 'hello', absent: ['content-length'], fields: { 'transfer-encoding': 'gzip, chunked' } }]),
  severeForwarded('TE: "chunked, chunked" is forwarded in monitor mode as one chunked', post('/te-twice', 'Transfer-Encoding: chunked, chunked\r\n', '5\r\nhello\r\n0\r\n\r\n'),
    [{ target: '/te-twice', body: 'hello', ...chunkedOnly }]),
  ambiguous('TE: obs-fold inside the Transfer-Encoding value', post('/te-fold', 'Transfer-Encoding: gzip,\r\n chunked\r\n', '5\r\nhello\r\n0\r\n\r\n'),
    [{ target: '/te-fold', body: 'hello', absent: ['content-length'], fields: { 'transfer-encoding': 'gzip, chunked' } }]),
  // Content-Length: duplicates and malformed values.
  ambiguous('CL: two identical Content-Length fields reach the target as one', post('/cl-dup', 'Content-Length: 5\r\nContent-Length: 5\r\n', 'hello'),
    [{ target: '/cl-dup', body: 'hello', ...lengthOnly(5) }]),
  rejectAll('CL: two different Content-Length fields', post('/cl-diff', 'Content-Length: 5\r\nContent-Length: 6\r\n', 'hello!')),
  rejectAll('CL: "+5"', post('/cl-plus', 'Content-Length: +5\r\n', 'hello')),
  rejectAll('CL: "5, 5" as a list', post('/cl-list', 'Content-Length: 5, 5\r\n', 'hello')),
  rejectAll('CL: "0x5"', post('/cl-hex', 'Content-Length: 0x5\r\n', 'hello')),
  rejectAll('CL: over 2^53', post('/cl-big', 'Content-Length: 99999999999999999\r\n', 'hello')),
  rejectAll('CL: obs-fold inside the value', post('/cl-fold', 'Content-Length: 5\r\n 0\r\n', 'hello')),
  rejectAll('CL: a bare LF inside a CRLF head hides a Transfer-Encoding', post('/cl-lf', 'Content-Length: 5\nTransfer-Encoding: chunked\r\n', 'hello')),
  ambiguous('CL: a body on GET is forwarded with its one Content-Length', 'GET /get-body HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello',
    [{ target: '/get-body', method: 'GET', body: 'hello', ...lengthOnly(5) }]),
  // Chunk sizes and extensions: the target reads a canonical re-encoding, never the client's spelling.
  rejectAll('chunk size "0x5"', post('/cs-0x', 'Transfer-Encoding: chunked\r\n', '0x5\r\nhello\r\n0\r\n\r\n')),
  rejectAll('chunk size with leading whitespace', post('/cs-lead', 'Transfer-Encoding: chunked\r\n', ' 5\r\nhello\r\n0\r\n\r\n')),
  rejectAll('chunk size "-5"', post('/cs-neg', 'Transfer-Encoding: chunked\r\n', '-5\r\nhello\r\n0\r\n\r\n')),
  rejectAll('chunk size line ending in a bare LF', post('/cs-lf', 'Transfer-Encoding: chunked\r\n', '5\nhello\r\n0\r\n\r\n')),
  rejectAll('chunk size over 2^53', post('/cs-big', 'Transfer-Encoding: chunked\r\n', '10000000000000005\r\nhello\r\n0\r\n\r\n')),
  rejectAll('chunk data not followed by CRLF', post('/cs-nocrlf', 'Transfer-Encoding: chunked\r\n', '3\r\nhello\r\n0\r\n\r\n')),
  allModes('chunk size past 2^32 (a 32-bit target would read 5): the target gets the bytes as chunk data, no request',
    post('/cs-2p32', 'Transfer-Encoding: chunked\r\n', '100000005\r\nhello\r\n0\r\n\r\n'), { kind: 'pending' }),
  compliant('chunk size with trailing whitespace, re-encoded', post('/cs-bws', 'Transfer-Encoding: chunked\r\n', '5 \r\nhello\r\n0\r\n\r\n'),
    [{ target: '/cs-bws', body: 'hello', ...chunkedOnly }]),
  compliant('chunk extensions are not forwarded', post('/ext', 'Transfer-Encoding: chunked\r\n', '5;name=value\r\nhello\r\n3;q="a;b"\r\n!!!\r\n0;last\r\n\r\n'),
    [{ target: '/ext', body: 'hello!!!', ...chunkedOnly }]),
  compliant('a quote in a chunk extension does not hide a CRLF', post('/ext-quote', 'Transfer-Encoding: chunked\r\n', '5;x="\r\nhello\r\n0\r\n\r\n'),
    [{ target: '/ext-quote', body: 'hello', ...chunkedOnly }]),
  rejectAll('a bare LF inside a chunk extension', post('/ext-lf', 'Transfer-Encoding: chunked\r\n', '5;a\nb\r\nhello\r\n0\r\n\r\n')),
  rejectAll('a chunk extension over 4 KiB', post('/ext-long', 'Transfer-Encoding: chunked\r\n', `5;${'e'.repeat(5000)}\r\nhello\r\n0\r\n\r\n`)),
  compliant('trailer fields are not forwarded', post('/trailer', 'Transfer-Encoding: chunked\r\n', '5\r\nhello\r\n0\r\nContent-Length: 44\r\nX-T: 1\r\n\r\n'),
    [{ target: '/trailer', body: 'hello', ...chunkedOnly }]),
  // Pipelining after a body.
  compliant('a GET pipelined after a Content-Length body', `${post('/pipe-cl', 'Content-Length: 5\r\n', 'hello')}GET /pipe-cl-2 HTTP/1.1\r\nHost: t\r\n\r\n`,
    [{ target: '/pipe-cl', body: 'hello', ...lengthOnly(5) }, { target: '/pipe-cl-2', method: 'GET', body: '' }]),
  compliant('a GET pipelined after a chunked body', `${post('/pipe-ch', 'Transfer-Encoding: chunked\r\n', '5\r\nhello\r\n0\r\n\r\n')}GET /pipe-ch-2 HTTP/1.1\r\nHost: t\r\n\r\n`,
    [{ target: '/pipe-ch', body: 'hello', ...chunkedOnly }, { target: '/pipe-ch-2', method: 'GET', body: '' }]),
  // Line endings.
  acceptable('bare LF everywhere is re-sent with CRLF', 'POST /lf HTTP/1.1\nHost: t\nContent-Length: 5\n\nhello',
    [{ target: '/lf', body: 'hello', ...lengthOnly(5) }]),
  // Host (RFC 9112 3.2): exactly one, and whatever shoal routed on.
  allModes('HTTP/1.1 without Host', 'GET /nohost HTTP/1.1\r\n\r\n', reject, true),
  allModes('two Host fields', 'GET /twohosts HTTP/1.1\r\nHost: t\r\nHost: admin.example\r\n\r\n', reject, true),
  allModes('"Host :" (space before the colon) is no Host', 'GET /hostspace HTTP/1.1\r\nHost : admin.example\r\n\r\n', reject, true),
  acceptable('"Host :" beside a real Host is dropped', 'GET /hostspace2 HTTP/1.1\r\nHost: t\r\nHost : admin.example\r\n\r\n',
    [{ target: '/hostspace2', method: 'GET', host: 't', absent: ['host '] }]),
  allModes('a Host value with a space', 'GET /hostbad HTTP/1.1\r\nHost: admin.example t\r\n\r\n', reject, true),
  allModes('a Host value that is a list', 'GET /hostlist HTTP/1.1\r\nHost: t, admin.example\r\n\r\n', reject, true),
  allModes('a host-header rule sees the Host the target would', 'GET /admin HTTP/1.1\r\nHost: admin.example\r\n\r\n', { kind: 'fixed', body: 'admin-rule' }),
  allModes('absolute-form: the authority is the Host, for routing too', 'GET http://admin.example/x HTTP/1.1\r\nHost: t\r\n\r\n', { kind: 'fixed', body: 'admin-rule' }),
  allModes('absolute-form is forwarded in origin-form with the authority as Host', 'GET http://t:8080/abs?q=1 HTTP/1.1\r\nHost: admin.example\r\n\r\n',
    fwd([{ target: '/abs?q=1', method: 'GET', host: 't:8080' }])),
  allModes('HTTP/1.0 without Host is forwarded as HTTP/1.0 (and closed, as it asked)', 'GET /old HTTP/1.0\r\n\r\n',
    fwd([{ target: '/old', method: 'GET', version: 'HTTP/1.0', host: null }], true)),
  rejectAll('HTTP/1.0 with Transfer-Encoding', 'POST /old-te HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n'),
  // The request line.
  acceptable('a space in the target is percent-encoded', 'GET /a b HTTP/1.1\r\nHost: t\r\n\r\n', [{ target: '/a%20b', method: 'GET' }]),
  ambiguous('a tab in the target is percent-encoded', 'GET /a\tb HTTP/1.1\r\nHost: t\r\n\r\n', [{ target: '/a%09b', method: 'GET' }]),
  compliant('a fragment in the target is percent-encoded', 'GET /a#b HTTP/1.1\r\nHost: t\r\n\r\n', [{ target: '/a%23b', method: 'GET' }]),
  rejectAll('a method that is not a token', 'GE\x01T /m HTTP/1.1\r\nHost: t\r\n\r\n'),
  rejectAll('a target that is neither origin-form nor absolute-form', 'GET nothing HTTP/1.1\r\nHost: t\r\n\r\n'),
];
