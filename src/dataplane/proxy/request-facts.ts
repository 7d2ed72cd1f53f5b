/**
 * The routing view of the current request (RequestView), one object per
 * connection, reloaded per request so routing allocates as little as it can.
 */
import type { RequestHead } from '../http/request-head.js';
import type { RequestView } from '../routing/router.js';

export class RequestFacts implements RequestView {
  method = '';
  path = '';
  query = '';
  host = '';
  readonly sourceIp: string;
  readonly port: number;
  readonly protocol = 'HTTP' as const;
  private headers: readonly string[] = [];

  constructor(remoteAddress: string, port: number) {
    // Node reports IPv4 clients of a dual-stack socket as ::ffff:a.b.c.d; routing wants a.b.c.d.
    this.sourceIp = remoteAddress.startsWith('::ffff:') && remoteAddress.includes('.') ? remoteAddress.slice(7) : remoteAddress;
    this.port = port;
  }

  load(head: RequestHead, host: string): void {
    this.method = head.method;
    this.headers = head.headers;
    this.host = host;
    const target = head.target;
    const q = target.indexOf('?');
    const pathPart = q < 0 ? target : target.slice(0, q);
    this.query = q < 0 ? '' : target.slice(q + 1);
    this.path = pathPart.startsWith('/') ? pathPart : absolutePath(pathPart);
  }

  header(lowerName: string): string | undefined {
    const h = this.headers;
    for (let i = 0; i < h.length; i += 2) {
      const name = h[i]!;
      if (name.length === lowerName.length && name.toLowerCase() === lowerName) return h[i + 1];
    }
    return undefined;
  }
}

/** absolute-form ("http://host/path") or asterisk-form ("*") request targets. */
function absolutePath(target: string): string {
  const scheme = target.indexOf('://');
  if (scheme < 0) return target;
  const slash = target.indexOf('/', scheme + 3);
  return slash < 0 ? '/' : target.slice(slash);
}
