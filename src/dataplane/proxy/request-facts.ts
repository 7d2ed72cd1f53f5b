/**
 * The routing view of the current request (RequestView), one object per
 * connection, reloaded per request so routing allocates as little as it can.
 */
import type { RequestView } from '../routing/router.js';

export class RequestFacts implements RequestView {
  method = '';
  path = '';
  query = '';
  host = '';
  readonly sourceIp: string;
  readonly port: number;
  readonly protocol: 'HTTP' | 'HTTPS';
  private headers: readonly string[] = [];

  constructor(remoteAddress: string, port: number, protocol: 'HTTP' | 'HTTPS' = 'HTTP') {
    this.protocol = protocol;
    // Node reports IPv4 clients of a dual-stack socket as ::ffff:a.b.c.d; routing wants a.b.c.d.
    this.sourceIp = remoteAddress.startsWith('::ffff:') && remoteAddress.includes('.') ? remoteAddress.slice(7) : remoteAddress;
    this.port = port;
  }

  /** `target` is origin-form or "*" (request-out.ts normalized it), `host` the one the target reads. */
  load(method: string, target: string, headers: readonly string[], host: string): void {
    this.method = method;
    this.headers = headers;
    this.host = host;
    const q = target.indexOf('?');
    this.path = q < 0 ? target : target.slice(0, q);
    this.query = q < 0 ? '' : target.slice(q + 1);
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
