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
 * Called once per logged request, off the socket's critical path but on its
 * thread: one string built by one template (no array and join), fractions
 * from a table of "000".."999" (no toFixed or padStart), the second of
 * `time` formatted once per second.
 */
import type { AccessLogFormat } from '../../model/load-balancer.js';
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

export function formatLine(format: AccessLogFormat, r: AccessRecord, endAt: number, c: LineContext): string {
  return format === 'json' ? formatJson(r, endAt, c) : formatAlb(r, endAt, c);
}

/** "000" to "999": the fractional digits, without a toFixed or padStart per field. */
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** Seconds with millisecond precision ("0.001"), -1 when the step did not happen. */
function seconds(from: number, to: number): string {
  if (from < 0 || to < 0) return '-1';
  const ms = Math.round(Math.max(0, to - from));
  return ms < 1000 ? `0.${PAD3[ms]!}` : `${Math.floor(ms / 1000)}.${PAD3[ms % 1000]!}`;
}

function status(code: number): string {
  return code === 0 ? '-' : String(code);
}

const TOKEN_UNSAFE = /[^\x21-\x7e]/;

/** An unquoted field: "-" when absent; anything that could split it becomes \xHH. */
function token(v: string | null): string {
  if (v === null || v === '') return '-';
  return TOKEN_UNSAFE.test(v) ? escape(v, TOKEN_UNSAFE_ALL) : v;
}

const QUOTE_UNSAFE = /["\\\x00-\x1f\x7f-\uffff]/;
const QUOTE_UNSAFE_ALL = /["\\\x00-\x1f\x7f-\uffff]/g;
const TOKEN_UNSAFE_ALL = /[^\x21-\x7e]|["\\]/g;

/** A double-quoted field: "-" when absent. */
function quoted(v: string | null): string {
  if (v === null || v === '') return '"-"';
  return `"${QUOTE_UNSAFE.test(v) ? escape(v, QUOTE_UNSAFE_ALL) : v}"`;
}

function escape(v: string, unsafe: RegExp): string {
  return v.replace(unsafe, (ch) => {
    if (ch === '"' || ch === '\\') return `\\${ch}`;
    // Header text is latin1 (one byte per character); anything wider is written as its UTF-8 bytes.
    const bytes = Buffer.from(ch, ch.charCodeAt(0) > 0xff ? 'utf8' : 'latin1');
    let out = '';
    for (const b of bytes) out += `\\x${b.toString(16).padStart(2, '0')}`;
    return out;
  });
}

let cachedSecond = -1;
let cachedPrefix = '';

/** ISO 8601 with microseconds, as ALB writes times: 2018-07-02T22:23:00.186641Z. */
export function isoMicros(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 20);
  }
  const micros = Math.min(999_999, Math.round((ms - second * 1000) * 1000));
  return `${cachedPrefix}${PAD3[Math.floor(micros / 1000)]!}${PAD3[micros % 1000]!}Z`;
}

function requestLine(r: AccessRecord): string {
  if (r.method === null) return '- - -';
  return `${r.method} ${r.url ?? '-'} ${r.version || '-'}`;
}

/**
 * The fields in ALB_FIELDS order, quoted where ALB quotes, as one template
 * (no array and join per line): type time elb client:port target:port
 * request/target/response_processing_time elb/target_status_code
 * received/sent_bytes "request" "user_agent" ssl_cipher ssl_protocol
 * target_group_arn "trace_id" "domain_name" "chosen_cert_arn"
 * matched_rule_priority request_creation_time "actions_executed"
 * "redirect_url" "error_reason" "target:port_list" "target_status_code_list"
 * "classification" "classification_reason" conn_trace_id.
 */
export function formatAlb(r: AccessRecord, endAt: number, c: LineContext): string {
  const userAgent = r.userAgent !== null && r.userAgent.length > MAX_USER_AGENT ? r.userAgent.slice(0, MAX_USER_AGENT) : r.userAgent;
  return `${r.type} ${isoMicros(c.wall(endAt))} ${c.elb} ${r.client} ${token(r.target)} ${seconds(r.receivedAt, r.sentAt)} ${seconds(r.sentAt, r.targetHeadAt)} ${
    seconds(r.targetHeadAt, r.respondedAt)} ${status(r.elbStatus)} ${status(r.targetStatus)} ${r.headBytes + r.bodyBytes} ${r.sentBytes} ${
    quoted(requestLine(r))} ${quoted(userAgent)} ${token(r.sslCipher)} ${token(r.sslProtocol)} ${r.targetGroup === null ? '-' : c.targetGroupArn(r.targetGroup)} ${
    quoted(r.traceId)} ${quoted(r.domainName)} "-" ${r.matchedPriority < 0 ? '-' : r.matchedPriority} ${isoMicros(c.wall(r.receivedAt))} ${
    r.action === null ? '"-"' : `"${r.action}"`} ${quoted(r.redirectUrl)} ${quoted(r.errorReason)} ${quoted(r.target)} ${
    r.targetStatus === 0 ? '"-"' : `"${r.targetStatus}"`} ${quoted(r.classification)} ${quoted(r.classificationReason)} ${token(r.connTraceId)}\n`;
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
