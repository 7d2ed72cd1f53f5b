/**
 * Docker Engine clients for the config's zones (model/zones.ts): a unix
 * socket, tcp:// with TLS client certificates, or ssh://, as Docker contexts
 * reach them. Zones naming the same engine share one client.
 */
import { readFileSync } from 'node:fs';
import Docker from 'dockerode';
import type { DockerEngineSpec, ZoneSpec } from '../../model/zones.js';

/** An engine that takes longer than this to answer a call is treated as not answering (its zone is impaired until it does). */
export const ENGINE_TIMEOUT_MS = 10_000;

export function engineClient(spec: DockerEngineSpec): Docker {
  const timeout = ENGINE_TIMEOUT_MS;
  const u = new URL(spec.host);
  const port = u.port === '' ? undefined : Number(u.port);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  switch (u.protocol) {
    case 'unix:': return new Docker({ socketPath: u.pathname, timeout });
    case 'ssh:': return new Docker({ protocol: 'ssh', host, port: port ?? 22, timeout, ...(u.username ? { username: u.username } : {}) });
    default: {
      const tls = spec.tls;
      return new Docker(tls
        ? { protocol: 'https', host, port: port ?? 2376, timeout, ca: readFileSync(tls.ca), cert: readFileSync(tls.cert), key: readFileSync(tls.key) }
        : { protocol: 'http', host, port: port ?? 2375, timeout });
    }
  }
}

/** Zone name -> engine client, for the zones that have an engine. */
export function enginesByZone(zones: readonly ZoneSpec[]): Map<string, Docker> {
  const clients = new Map<string, Docker>();
  const out = new Map<string, Docker>();
  for (const z of zones) {
    if (!z.docker) continue;
    const key = JSON.stringify([z.docker.host, z.docker.tls ?? null]);
    let c = clients.get(key);
    if (!c) clients.set(key, (c = engineClient(z.docker)));
    out.set(z.name, c);
  }
  return out;
}
