/**
 * Responses the load balancer itself sends: errors (each with a short body
 * saying which), redirects and fixed responses. Error bodies are built once.
 */
const REASONS: Record<number, string> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content',
  301: 'Moved Permanently', 302: 'Found',
  400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Timeout',
  413: 'Payload Too Large', 414: 'URI Too Long', 431: 'Request Header Fields Too Large',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? (status < 300 ? 'OK' : status < 400 ? 'Redirect' : status < 500 ? 'Client Error' : 'Server Error');
}

export interface CannedOptions {
  status: number;
  body: string;
  contentType?: string;
  close: boolean;
  extraHeaders?: string; // already formatted "Name: value\r\n" lines
  headOnly?: boolean;
}

export function cannedResponse(o: CannedOptions): string {
  const body = Buffer.byteLength(o.body) > 0 ? o.body : '';
  return (
    `HTTP/1.1 ${o.status} ${reasonPhrase(o.status)}\r\n` +
    'Server: shoal\r\n' +
    `Content-Type: ${o.contentType ?? 'text/plain; charset=utf-8'}\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    (o.extraHeaders ?? '') +
    (o.close ? 'Connection: close\r\n' : '') +
    '\r\n' +
    (o.headOnly ? '' : body)
  );
}

/** Why the load balancer answered itself; the body says which, as the issue asks. */
export const ERROR_BODIES = {
  badRequest: '400 Bad Request: the load balancer could not parse this request\n',
  uriTooLong: '414 URI Too Long: the request line exceeds the load balancer limit\n',
  headersTooLarge: '431 Request Header Fields Too Large: the request headers exceed the load balancer limit\n',
  headerTimeout: '408 Request Timeout: the request headers did not arrive in time\n',
  badGateway: '502 Bad Gateway: the target sent an invalid response or closed the connection\n',
  noTarget: '503 Service Unavailable: no registered target can take this request\n',
  gatewayTimeout: '504 Gateway Timeout: the target did not respond in time\n',
} as const;

export function errorBodyFor(status: number): string {
  switch (status) {
    case 400: return ERROR_BODIES.badRequest;
    case 408: return ERROR_BODIES.headerTimeout;
    case 414: return ERROR_BODIES.uriTooLong;
    case 431: return ERROR_BODIES.headersTooLarge;
    case 502: return ERROR_BODIES.badGateway;
    case 503: return ERROR_BODIES.noTarget;
    case 504: return ERROR_BODIES.gatewayTimeout;
    default: return `${status} ${reasonPhrase(status)}\n`;
  }
}

/**
 * A 503's reason (the control plane's words on why no target can serve) as a
 * body line and an `X-Shoal-Reason` header line; anything outside printable
 * ASCII becomes "?" so the header stays one line. Kept per reason: built once.
 */
let lastReason = '';
let lastReasonParts = { body: '', header: '' };

export function reasonResponse(reason: string): { body: string; header: string } {
  if (reason !== lastReason) {
    const safe = reason.replace(/[^\x20-\x7e]/g, '?');
    lastReason = reason;
    lastReasonParts = { body: `${ERROR_BODIES.noTarget}${safe}\n`, header: `X-Shoal-Reason: ${safe}\r\n` };
  }
  return lastReasonParts;
}
