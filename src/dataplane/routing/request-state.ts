/**
 * Per-request scratch a router reuses across calls (route() is synchronous, so
 * one instance per router is enough): the Host without its port, and the
 * client address and query parameters, each parsed lazily and at most once per
 * request, only when a condition asks for them.
 */
import type { RequestView } from './router.js';
import { type IpScratch, newIpScratch, parseIp } from './ip.js';

/** Query parameters, URL-decoded; arrays are reused, only the decoded strings are new. */
export interface QueryParams {
  keys: string[];
  values: string[];
  count: number;
}

/** Percent-decodes; a malformed escape leaves the text as sent. '+' stays '+' (RFC 3986, as ALB's docs cite). */
function decode(s: string): string {
  if (s.indexOf('%') < 0) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Splits a raw query ('a=1&b') into params; a bare 'b' is key 'b' with value ''. */
export function parseQuery(q: string, out: QueryParams): void {
  out.count = 0;
  let start = 0;
  while (start <= q.length) {
    let end = q.indexOf('&', start);
    if (end < 0) end = q.length;
    if (end > start) {
      const eq = q.indexOf('=', start);
      const hasEq = eq >= 0 && eq < end;
      out.keys[out.count] = decode(q.slice(start, hasEq ? eq : end));
      out.values[out.count] = hasEq ? decode(q.slice(eq + 1, end)) : '';
      out.count++;
    }
    start = end + 1;
  }
}

/** Where the hostname ends in a Host header value: before ':port', after ']' for '[v6]:port'. */
export function hostnameEnd(host: string): number {
  if (host.charCodeAt(0) === 91 /* [ */) {
    const close = host.indexOf(']');
    return close < 0 ? host.length : close + 1;
  }
  // A hand loop, not lastIndexOf: V8 runs lastIndexOf in the runtime, measurably slower per request.
  for (let i = host.length - 1; i >= 0; i--) if (host.charCodeAt(i) === 58 /* : */) return i;
  return host.length;
}

export class RequestState {
  req!: RequestView;
  host = '';
  hostEnd = 0;
  private ipParsed = false;
  private queryParsed = false;
  private readonly ipScratch: IpScratch = newIpScratch();
  private readonly params: QueryParams = { keys: [], values: [], count: 0 };

  reset(req: RequestView): void {
    this.req = req;
    this.host = req.host;
    this.hostEnd = hostnameEnd(req.host);
    this.ipParsed = false;
    this.queryParsed = false;
  }

  ip(): IpScratch {
    if (!this.ipParsed) {
      parseIp(this.req.sourceIp, this.ipScratch);
      this.ipParsed = true;
    }
    return this.ipScratch;
  }

  query(): QueryParams {
    if (!this.queryParsed) {
      parseQuery(this.req.query, this.params);
      this.queryParsed = true;
    }
    return this.params;
  }
}
