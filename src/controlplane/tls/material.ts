/**
 * The PEM text of HTTPS listeners' certificate, key and trust store files,
 * for the data-plane snapshot (workers never read the config's files). Files
 * are read once per generation: refresh() (a reload, a file change) makes
 * the next snapshot read them again, so a health-driven snapshot costs no
 * file reads. A file that cannot be read at that point (removed after the
 * config was validated) keeps its last good text, with an error logged.
 */
import { readFileSync } from 'node:fs';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { AlpnPolicy, Listener, LoadBalancer } from '../../model/load-balancer.js';
import type { TlsSnapshot } from '../../dataplane/snapshot.js';
import { DEFAULT_SSL_POLICY } from '../../dataplane/tls/policies.js';

interface Read {
  generation: number;
  text: string;
}

export class TlsMaterial {
  private generation = 0;
  private readonly files = new Map<string, Read>();

  constructor(private readonly log: Logger) {}

  refresh(): void {
    this.generation++;
  }

  /** http2: the load balancer's routing.http2.enabled (HTTPS listeners only; a TLS listener's ALPN is its alpnPolicy). */
  forListener(l: Listener, http2 = true): TlsSnapshot | undefined {
    if ((l.protocol !== 'HTTPS' && l.protocol !== 'TLS') || l.certificates === undefined) return undefined;
    const m = l.mutualAuthentication ?? { mode: 'off' };
    return {
      certificates: l.certificates.map((c) => ({ cert: this.read(c.certificateFile), key: this.read(c.privateKeyFile) })),
      sslPolicy: l.sslPolicy ?? DEFAULT_SSL_POLICY,
      alpnPolicy: offeredAlpn(l, http2),
      mutualAuthentication: m.mode === 'verify' && m.trustStore !== undefined ? { mode: m.mode, trustStore: this.read(m.trustStore) } : { mode: m.mode },
    };
  }

  private read(path: string): string {
    const had = this.files.get(path);
    if (had !== undefined && had.generation === this.generation) return had.text;
    try {
      const text = readFileSync(path, 'utf8');
      this.files.set(path, { generation: this.generation, text });
      return text;
    } catch (err) {
      this.log.error({ file: path, err: errorMessage(err) }, 'cannot read a certificate file; the listener keeps the last one read');
      return had?.text ?? '';
    }
  }
}

/** Every file the load balancers' HTTPS listeners read (to watch for renewals). */
export function tlsFiles(loadBalancers: readonly LoadBalancer[]): string[] {
  const out = new Set<string>();
  for (const lb of loadBalancers) {
    for (const l of lb.listeners) {
      if (l.protocol !== 'HTTPS' && l.protocol !== 'TLS') continue;
      for (const c of l.certificates ?? []) {
        out.add(c.certificateFile);
        out.add(c.privateKeyFile);
      }
      const ts = l.mutualAuthentication?.trustStore;
      if (ts !== undefined) out.add(ts);
    }
  }
  return [...out];
}

/**
 * The ALPN policy a listener's handshakes use. An HTTPS listener behaves as ALB's: with routing.http2.enabled (the
 * default) and no alpnPolicy it offers h2 before http/1.1; with it off it never offers h2. A TLS listener (NLB) offers
 * what its alpnPolicy says, nothing for None, as AWS.
 */
export function offeredAlpn(l: Pick<Listener, 'protocol' | 'alpnPolicy'>, http2: boolean): AlpnPolicy {
  const policy = l.alpnPolicy ?? 'None';
  if (l.protocol !== 'HTTPS') return policy;
  if (!http2) return policy === 'None' ? 'None' : 'HTTP1Only';
  return policy === 'None' ? 'HTTP2Preferred' : policy;
}
