/**
 * HTTP/2 session limits against the known attacks, as SETTINGS and
 * node:http2 options (one object, built once per worker), plus the per-second
 * flood limits connection.ts counts (flood-window.ts):
 *
 * - concurrent streams: 128 per connection (ALB's); streams past it are
 *   refused (REFUSED_STREAM), and a client that keeps opening them is cut
 *   after maxSessionRejectedStreams refusals (GOAWAY ENHANCE_YOUR_CALM);
 * - rapid reset (CVE-2023-44487): more than RESETS_PER_SECOND streams reset by
 *   the client before their response ended, in one second, close the
 *   connection; nghttp2's own limit (a burst of 1,000, then 33 a second) stays
 *   behind it as a backstop;
 * - CONTINUATION floods (CVE-2024-27983/28182): a header block is bounded by
 *   SETTINGS_MAX_HEADER_LIST_SIZE (the HTTP/1.1 head limits: request line +
 *   header bytes) and maxHeaderListPairs; nghttp2 1.61 also ends a session
 *   after 8 CONTINUATION frames in one block;
 * - SETTINGS and PING floods (CVE-2019-9515/9512): more than
 *   SETTINGS_PER_SECOND or PINGS_PER_SECOND frames in one second close the
 *   connection; maxSettings bounds the entries of one SETTINGS frame, and
 *   nghttp2 closes a session whose client does not read the ACKs it queues
 *   (1,000 outbound ACKs); maxOutstandingPings bounds our own pings;
 * - invalid frames and memory: maxSessionInvalidFrames, maxSessionMemory (MB).
 * A connection that trips any of them is closed; the worker and the other
 * connections carry on.
 */
import type { ServerOptions } from 'node:http2';
import type { HeadLimitsConfig } from '../proxy/context.js';

export const MAX_CONCURRENT_STREAMS = 128;
export const RESETS_PER_SECOND = 100;
/** A client sends one SETTINGS frame to start and rarely another: a few a second is generous. */
export const SETTINGS_PER_SECOND = 10;
/** Browsers ping to measure round trips or keep a connection alive, never in bulk. */
export const PINGS_PER_SECOND = 10;

export function sessionOptions(limits: HeadLimitsConfig): ServerOptions {
  return {
    settings: {
      maxConcurrentStreams: MAX_CONCURRENT_STREAMS,
      maxHeaderListSize: limits.maxRequestLine + limits.maxHeaderBytes,
      enablePush: false,
    },
    // Pseudo-headers count as pairs: the HTTP/1.1 limit on header fields, plus room for them.
    maxHeaderListPairs: limits.maxHeaders + 8,
    maxSettings: 32,
    maxOutstandingPings: 10,
    maxSessionInvalidFrames: 100,
    maxSessionRejectedStreams: 100,
    maxSessionMemory: 10,
  };
}
