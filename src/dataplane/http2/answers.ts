/**
 * What the load balancer answers on an HTTP/2 stream itself: fixed
 * responses, redirects and errors, with the headers and bodies canned.ts
 * gives an HTTP/1.1 client (no Connection header: HTTP/2 has none). A HEAD
 * request gets the headers only (node:http2 ends its stream with them). A
 * stream whose request body is still coming is then reset with NO_ERROR: the
 * client stops sending a body that is never read (RFC 9113 8.1).
 */
import { constants, type OutgoingHttpHeaders, type ServerHttp2Stream } from 'node:http2';

export interface StreamAnswer {
  status: number;
  body: string;
  contentType?: string;
  location?: string;
  /** Why no target could serve (the control plane's words): the x-shoal-reason header and a body line. */
  reason?: string;
}

const TEXT = 'text/plain; charset=utf-8';

export function answerStream(stream: ServerHttp2Stream, a: StreamAnswer): void {
  if (stream.destroyed || stream.closed || stream.headersSent) return;
  let text = a.body;
  const headers: OutgoingHttpHeaders = { ':status': a.status, server: 'shoal', 'content-type': a.contentType ?? TEXT };
  if (a.location !== undefined) headers.location = a.location;
  if (a.reason !== undefined) {
    // Printable ASCII only, so the field is one clean value (as canned.ts's reasonResponse).
    const safe = a.reason.replace(/[^\x20-\x7e]/g, '?');
    headers['x-shoal-reason'] = safe;
    text += `${safe}\n`;
  }
  const body = Buffer.from(text, 'utf8');
  headers['content-length'] = body.length;
  try {
    stream.respond(headers, { endStream: body.length === 0 });
  } catch {
    // A value node:http2 will not send (a redirect built from the request into something invalid).
    stream.close(constants.NGHTTP2_INTERNAL_ERROR);
    return;
  }
  if (!stream.writableEnded) stream.end(body);
  if (!stream.endAfterHeaders) stream.close(constants.NGHTTP2_NO_ERROR);
}
