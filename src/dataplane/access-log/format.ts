/**
 * Access log lines: ALB's space-separated format, fields in AWS's order
 * (ALB_FIELDS), or one JSON object per line with the same field names.
 *
 * ALB's quoting: "request", "user_agent", "trace_id", "domain_name",
 * "chosen_cert_arn", "actions_executed", "redirect_url", "error_reason",
 * "target:port_list", "target_status_code_list", "classification" and
 * "classification_reason" are in double quotes; every other field is a token
 * without spaces. Inside quotes a `"` or `\` is escaped with a backslash and
 * control or non-ASCII bytes become \xHH, so a client cannot end a field or
 * a line early (ALB escapes the same way). A user agent is cut at 8 KiB, as
 * ALB does. shoal writes the first 30 fields (through conn_trace_id); AWS's
 * later ones (request transforms) describe features shoal does not have,
 * and AWS tells parsers to ignore fields past the ones they know.
 *
 * Called once per logged request, on the request's thread: an ALB line is
 * written as bytes straight into the file's chunk (ascii-out.ts: no string
 * for the line, numbers digit by digit, each field checked and copied in one
 * pass); a JSON line is a string.
 */
import type { AccessLogFormat } from '../../model/load-balancer.js';
import { AsciiOut, maxBytes, segment } from './ascii-out.js';
import type { AccessRecord } from './record.js';

export const ALB_FIELDS = [
  'type', 'time', 'elb', 'client:port', 'target:port',
  'request_processing_time', 'target_processing_time', 'response_processing_time',
  'elb_status_code', 'target_status_code', 'received_bytes', 'sent_bytes',
  'request', 'user_agent', 'ssl_cipher', 'ssl_protocol', 'target_group_arn', 'trace_id',
  'domain_name', 'chosen_cert_arn', 'matched_rule_priority', 'request_creation_time',
  'actions_executed', 'redirect_url', 'error_reason', 'target:port_list', 'target_status_code_list',
  'classification', 'classification_reason', 'conn_trace_id',
] as const;

/** What a line needs beyond the record: the load balancer's id and the clock. */
export interface LineContext {
  /** elb: app/NAME/ID. */
  elb: string;
  /** target_group_arn of a group name. */
  targetGroupArn(name: string): string;
  /** Epoch milliseconds (fractional) of a monotonic time. */
  wall(hr: number): number;
}

const MAX_USER_AGENT = 8192;

/** Seconds with millisecond precision ("0.001"), -1 when the step did not happen (JSON lines). */
function seconds(from: number, to: number): string {
  if (from < 0 || to < 0) return '-1';
  return (Math.round(Math.max(0, to - from)) / 1000).toFixed(3);
}

const isoOut = new AsciiOut();
const isoBytes = Buffer.alloc(27);

/** ISO 8601 with microseconds, as ALB writes times: 2018-07-02T22:23:00.186641Z. */
export function isoMicros(ms: number): string {
  isoOut.start(isoBytes, 0);
  isoOut.iso(ms);
  return isoBytes.toString('latin1', 0, isoOut.pos);
}

function requestLine(r: AccessRecord): string {
  if (r.method === null) return '- - -';
  return `${r.method} ${r.url ?? '-'} ${r.version || '-'}`;
}

/** Room for a target group's ARN (a name of at most 32 characters and the load balancer's region and account). */
const MAX_ARN = 256;

/** The most bytes formatAlbInto can write for `r`: fixed fields, plus every variable one escaped at its worst. */
export function albLineBound(r: AccessRecord, c: LineContext): number {
  const ua = r.userAgent === null ? 0 : Math.min(r.userAgent.length, MAX_USER_AGENT);
  const request = (r.method?.length ?? 0) + (r.url?.length ?? 0) + (r.version?.length ?? 0);
  return (
    400 + MAX_ARN + c.elb.length + r.client.length + maxBytes(r.target) * 2 + (request + ua) * 12 + maxBytes(r.sslCipher) +
    maxBytes(r.sslProtocol) + maxBytes(r.traceId) + maxBytes(r.domainName) + maxBytes(r.redirectUrl) + maxBytes(r.errorReason) +
    maxBytes(r.classification) + maxBytes(r.classificationReason) + maxBytes(r.connTraceId)
  );
}

/** A connection's fields as bytes, made at its first line and kept on its record (with the elb they were made for). */
export interface ConnectionSegments {
  elb: string;
  /** " elb client:port " */
  lead: Uint8Array;
  /** " ssl_cipher ssl_protocol " */
  ssl: Uint8Array;
  /** '"domain_name" "-" ' (chosen_cert_arn is always "-") */
  domain: Uint8Array;
  /** " conn_trace_id\n" */
  tail: Uint8Array;
}

function connectionSegments(r: AccessRecord, c: LineContext): ConnectionSegments {
  const kept = r.segments;
  if (kept !== null && kept.elb === c.elb) return kept;
  const made: ConnectionSegments = {
    elb: c.elb,
    lead: segment(c.elb.length + r.client.length + 3, (o) => {
      o.byte(SP);
      o.raw(c.elb);
      o.byte(SP);
      o.raw(r.client);
      o.byte(SP);
    }),
    ssl: segment(maxBytes(r.sslCipher) + maxBytes(r.sslProtocol) + 3, (o) => {
      o.byte(SP);
      o.token(r.sslCipher);
      o.byte(SP);
      o.token(r.sslProtocol);
      o.byte(SP);
    }),
    domain: segment(maxBytes(r.domainName) + 5, (o) => {
      o.quoted(r.domainName);
      o.raw(' "-" ');
    }),
    tail: segment(maxBytes(r.connTraceId) + 2, (o) => {
      o.byte(SP);
      o.token(r.connTraceId);
      o.byte(0x0a);
    }),
  };
  r.segments = made;
  return made;
}

interface TargetSegments {
  /** target:port as a token, and as "target:port_list" */
  token: Uint8Array;
  quoted: Uint8Array;
}

/** Kept segments a load balancer's lines share: each target's and each target group ARN's. */
export class LineSegments {
  private static readonly MAX_KEPT = 4096;
  private readonly targets = new Map<string, TargetSegments>();
  private readonly arns = new Map<string, Uint8Array>();

  constructor(private readonly c: LineContext) {}

  target(key: string): TargetSegments {
    let t = this.targets.get(key);
    if (t === undefined) {
      if (this.targets.size >= LineSegments.MAX_KEPT) this.targets.clear();
      t = { token: segment(maxBytes(key), (o) => o.token(key)), quoted: segment(maxBytes(key), (o) => o.quoted(key)) };
      this.targets.set(key, t);
    }
    return t;
  }

  arn(group: string): Uint8Array {
    let a = this.arns.get(group);
    if (a === undefined) {
      if (this.arns.size >= LineSegments.MAX_KEPT) this.arns.clear();
      const arn = this.c.targetGroupArn(group);
      a = segment(arn.length, (o) => o.raw(arn));
      this.arns.set(group, a);
    }
    return a;
  }
}

const ACTIONS: Record<string, Uint8Array> = Object.fromEntries(
  ['forward', 'redirect', 'fixed-response'].map((a) => [a, segment(a.length + 2, (o) => o.quoted(a))]),
);

/**
 * The fields in ALB_FIELDS order, quoted where ALB quotes, written as bytes
 * from out.pos (which has albLineBound bytes of room): type time elb
 * client:port target:port request/target/response_processing_time
 * elb/target_status_code received/sent_bytes "request" "user_agent"
 * ssl_cipher ssl_protocol target_group_arn "trace_id" "domain_name"
 * "chosen_cert_arn" matched_rule_priority request_creation_time
 * "actions_executed" "redirect_url" "error_reason" "target:port_list"
 * "target_status_code_list" "classification" "classification_reason"
 * conn_trace_id, and the newline.
 */
export function formatAlbInto(o: AsciiOut, r: AccessRecord, endAt: number, c: LineContext, kept: LineSegments): void {
  const conn = connectionSegments(r, c);
  const target = r.target === null || r.target === '' ? null : kept.target(r.target);
  o.raw(r.type);
  o.byte(SP);
  o.iso(c.wall(endAt));
  o.bytes(conn.lead);
  if (target === null) o.byte(DASH);
  else o.bytes(target.token);
  o.byte(SP);
  secondsInto(o, r.receivedAt, r.sentAt);
  o.byte(SP);
  secondsInto(o, r.sentAt, r.targetHeadAt);
  o.byte(SP);
  secondsInto(o, r.targetHeadAt, r.respondedAt);
  o.byte(SP);
  statusInto(o, r.elbStatus);
  o.byte(SP);
  statusInto(o, r.targetStatus);
  o.byte(SP);
  o.uint(r.headBytes + r.bodyBytes);
  o.byte(SP);
  o.uint(r.sentBytes);
  o.byte(SP);
  requestInto(o, r);
  o.byte(SP);
  o.quoted(r.userAgent !== null && r.userAgent.length > MAX_USER_AGENT ? r.userAgent.slice(0, MAX_USER_AGENT) : r.userAgent);
  o.bytes(conn.ssl);
  if (r.targetGroup === null) o.byte(DASH);
  else o.bytes(kept.arn(r.targetGroup));
  o.byte(SP);
  o.quoted(r.traceId);
  o.byte(SP);
  o.bytes(conn.domain);
  if (r.matchedPriority < 0) o.byte(DASH);
  else o.uint(r.matchedPriority);
  o.byte(SP);
  o.iso(c.wall(r.receivedAt));
  o.byte(SP);
  const action = r.action === null ? undefined : ACTIONS[r.action];
  if (action === undefined) o.quoted(r.action);
  else o.bytes(action);
  o.byte(SP);
  o.quoted(r.redirectUrl);
  o.byte(SP);
  o.quoted(r.errorReason);
  o.byte(SP);
  if (target === null) o.quoted(null);
  else o.bytes(target.quoted);
  o.byte(SP);
  o.byte(QUOTE);
  statusInto(o, r.targetStatus);
  o.byte(QUOTE);
  o.byte(SP);
  o.quoted(r.classification);
  o.byte(SP);
  o.quoted(r.classificationReason);
  o.bytes(conn.tail);
}

const SP = 0x20;
const DASH = 0x2d;
const QUOTE = 0x22;

function secondsInto(o: AsciiOut, from: number, to: number): void {
  if (from < 0 || to < 0) return o.raw('-1');
  const ms = Math.round(Math.max(0, to - from));
  o.uint(Math.floor(ms / 1000));
  o.byte(0x2e); // .
  o.pad3(ms % 1000);
}

function statusInto(o: AsciiOut, code: number): void {
  if (code === 0) o.byte(DASH);
  else o.uint(code);
}

function requestInto(o: AsciiOut, r: AccessRecord): void {
  o.byte(QUOTE);
  if (r.method === null) {
    o.raw('- - -');
  } else {
    o.inQuotes(r.method);
    o.byte(SP);
    if (r.url === null) o.byte(DASH);
    else o.inQuotes(r.url);
    o.byte(SP);
    if (r.version === null || r.version === '') o.byte(DASH);
    else o.inQuotes(r.version);
  }
  o.byte(QUOTE);
}

/** One ALB line as a string (tests, and anything off the hot path). */
export function formatAlb(r: AccessRecord, endAt: number, c: LineContext): string {
  const buf = Buffer.allocUnsafe(albLineBound(r, c));
  const o = new AsciiOut();
  o.start(buf, 0);
  formatAlbInto(o, r, endAt, c, new LineSegments(c));
  return buf.toString('latin1', 0, o.pos);
}

/**
 * JSON lines: ALB's field names (client:port split into client_ip and client_port, target:port
 * into target_ip and target_port, as AWS's Athena tables do), numbers as numbers, "-" as null.
 */
export function formatJson(r: AccessRecord, endAt: number, c: LineContext): string {
  const sep = r.target === null ? -1 : r.target.lastIndexOf(':');
  return `${JSON.stringify({
    type: r.type,
    time: isoMicros(c.wall(endAt)),
    elb: c.elb,
    client_ip: r.clientIp,
    client_port: r.clientPort,
    target_ip: sep < 0 ? null : r.target!.slice(0, sep),
    target_port: sep < 0 ? null : Number(r.target!.slice(sep + 1)),
    request_processing_time: Number(seconds(r.receivedAt, r.sentAt)),
    target_processing_time: Number(seconds(r.sentAt, r.targetHeadAt)),
    response_processing_time: Number(seconds(r.targetHeadAt, r.respondedAt)),
    elb_status_code: r.elbStatus === 0 ? null : r.elbStatus,
    target_status_code: r.targetStatus === 0 ? null : r.targetStatus,
    received_bytes: r.headBytes + r.bodyBytes,
    sent_bytes: r.sentBytes,
    request: requestLine(r),
    user_agent: r.userAgent,
    ssl_cipher: r.sslCipher,
    ssl_protocol: r.sslProtocol,
    target_group_arn: r.targetGroup === null ? null : c.targetGroupArn(r.targetGroup),
    trace_id: r.traceId,
    domain_name: r.domainName,
    chosen_cert_arn: null,
    matched_rule_priority: r.matchedPriority < 0 ? null : r.matchedPriority,
    request_creation_time: isoMicros(c.wall(r.receivedAt)),
    actions_executed: r.action,
    redirect_url: r.redirectUrl,
    error_reason: r.errorReason,
    'target:port_list': r.target,
    target_status_code_list: r.targetStatus === 0 ? null : String(r.targetStatus),
    classification: r.classification,
    classification_reason: r.classificationReason,
    conn_trace_id: r.connTraceId,
  })}\n`;
}
