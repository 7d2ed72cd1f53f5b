import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../../core/log.js';
import { errorMessage } from '../../core/errors.js';

/**
 * The instance metadata service (IMDS) for process instances.
 *
 * EC2 answers on 169.254.169.254, a link-local address a local process cannot
 * reach (and binding it needs root and a route), so shoal serves the same paths
 * on loopback instead: by default 127.0.0.1:1338 (the port amazon-ec2-metadata-mock
 * uses). Each instance gets the URL in SHOAL_METADATA_URL and in
 * AWS_EC2_METADATA_SERVICE_ENDPOINT (which the AWS SDKs honour).
 *
 * Who is asking? Like EC2, the answer depends on the caller, identified by address:
 * 1. The source address, when it is an instance's private IP: a client that
 *    binds its socket to HOST (localAddress) is recognised on any listener.
 * 2. Otherwise the address the client connected to: the server also listens on
 *    every instance's own private IP (same port), and SHOAL_METADATA_URL points
 *    there (http://<privateIp>:1338). This is needed because Linux gives an
 *    unbound client the source 127.0.0.1 for any 127/8 destination, so
 *    source-address matching alone would work only for clients that bind.
 * A caller matching neither (e.g. an unbound client on 127.0.0.1:1338) gets 404
 * with an explanation. Nothing is trusted beyond loopback: the server binds no
 * other interface. IMDSv2 tokens (PUT /latest/api/token) are issued but not checked.
 */
export interface MetadataRecord {
  instanceId: string;
  instanceType: string;
  privateIp: string;
  availabilityZone: string;
  userData?: string;
  tags: Record<string, string>;
}

export interface MetadataServerOptions {
  host: string;
  /** 0 picks a free port (tests); the per-instance listeners use the same port. */
  port: number;
  lookup(ip: string): MetadataRecord | undefined;
  log: Logger;
}

export const DEFAULT_METADATA = { host: '127.0.0.1', port: 1338 };

function normalize(address: string | undefined): string {
  return (address ?? '').replace(/^::ffff:/, '');
}

function hostname(ip: string): string {
  return `ip-${ip.replace(/\./g, '-')}.shoal.internal`;
}

/** The answer to one metadata path, or undefined for 404. Exported for tests. */
export function answer(rec: MetadataRecord, path: string): string | undefined {
  const tags = Object.keys(rec.tags).sort();
  const data: Record<string, string> = {
    'meta-data/': 'hostname\ninstance-id\ninstance-type\nlocal-hostname\nlocal-ipv4\nplacement/\ntags/',
    'meta-data/hostname': hostname(rec.privateIp),
    'meta-data/local-hostname': hostname(rec.privateIp),
    'meta-data/instance-id': rec.instanceId,
    'meta-data/instance-type': rec.instanceType,
    'meta-data/local-ipv4': rec.privateIp,
    'meta-data/placement/': 'availability-zone',
    'meta-data/placement/availability-zone': rec.availabilityZone,
    'meta-data/tags/': 'instance/',
    'meta-data/tags/instance/': tags.join('\n'),
    'dynamic/instance-identity/document': JSON.stringify({
      instanceId: rec.instanceId,
      instanceType: rec.instanceType,
      availabilityZone: rec.availabilityZone,
      privateIp: rec.privateIp,
    }),
  };
  if (rec.userData !== undefined) data['user-data'] = rec.userData;
  const key = path.replace(/^\/latest\//, '');
  if (key === path) return path === '/' || path === '/latest' ? 'latest' : undefined;
  const tag = /^meta-data\/tags\/instance\/(.+)$/.exec(key);
  if (tag) return rec.tags[decodeURIComponent(tag[1]!)];
  return data[key] ?? data[key + '/'];
}

export class MetadataServer {
  private readonly servers = new Map<string, Server>();
  private boundPort = 0;

  constructor(private readonly opts: MetadataServerOptions) {}

  /** Starts the shared listener (host:port). */
  async start(): Promise<void> {
    const server = await this.listen(this.opts.host, this.opts.port);
    this.boundPort = (server.address() as { port: number }).port;
    this.servers.set(this.opts.host, server);
  }

  get port(): number {
    return this.boundPort;
  }

  /** The URL an instance with this private IP should use. */
  urlFor(privateIp: string): string {
    const host = this.servers.has(privateIp) ? privateIp : this.opts.host;
    return `http://${host}:${this.boundPort}`;
  }

  /** Also listens on an instance's private IP. A failure is logged, not fatal: rule 1 still works. */
  async addAddress(ip: string): Promise<void> {
    if (this.servers.has(ip)) return;
    try {
      this.servers.set(ip, await this.listen(ip, this.boundPort));
    } catch (err) {
      this.opts.log.warn({ ip, port: this.boundPort, err: errorMessage(err) }, 'metadata: cannot listen on instance address');
    }
  }

  removeAddress(ip: string): void {
    const server = this.servers.get(ip);
    if (!server || ip === this.opts.host) return;
    this.servers.delete(ip);
    server.close();
  }

  async close(): Promise<void> {
    const all = [...this.servers.values()];
    this.servers.clear();
    await Promise.all(all.map((s) => new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    })));
  }

  private listen(host: string, port: number): Promise<Server> {
    const server = createServer((req, res) => this.handle(req, res));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve(server);
      });
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0]!;
    const send = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(body);
    };
    const remote = normalize(req.socket.remoteAddress);
    const rec = this.opts.lookup(remote) ?? this.opts.lookup(normalize(req.socket.localAddress));
    if (!rec) {
      send(404, `shoal metadata: no instance has address ${remote}. Use the URL in SHOAL_METADATA_URL ` +
        '(it points at your own private IP), or bind your client socket to HOST.\n');
      return;
    }
    if (req.method === 'PUT' && path === '/latest/api/token') {
      send(200, `shoal-token-${rec.instanceId}`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(405, 'method not allowed\n');
      return;
    }
    const body = answer(rec, path);
    if (body === undefined) send(404, 'Not Found\n');
    else send(200, body);
  }
}
