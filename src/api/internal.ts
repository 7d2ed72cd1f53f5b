/**
 * shoal's own JSON API (under /_shoal/), used by the CLI and by the later
 * auto scaling and AWS API layers. Errors are {code, message} with AWS's codes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ShoalError, errorMessage } from '../core/errors.js';
import type { Target } from '../model/target-group.js';
import { asgRoutes, type AsgBackend } from './asg-routes.js';
import { refreshRoutes } from './refresh-routes.js';
import { metricsRoutes, type MetricsBackend } from './metrics-routes.js';
import { scalingRoutes, type ScalingBackend } from './scaling-routes.js';
import { policyRoutes, type PolicyBackend } from './policy-routes.js';
import { matchRoutes, type MatchBackend } from './match-routes.js';
import { createRoutes, type CreateBackend } from './create-routes.js';
import { ecsRoutes, type EcsBackend } from './ecs-routes.js';

/** What the API needs from the daemon. */
export interface InternalApiBackend extends AsgBackend, MetricsBackend, ScalingBackend, PolicyBackend, MatchBackend, CreateBackend, EcsBackend {
  describeTargetHealth(group: string): unknown[] | undefined;
  registerTargets(group: string, targets: Target[]): void;
  deregisterTargets(group: string, targets: Pick<Target, 'id' | 'port'>[]): Target[];
  reload(): Promise<{ ok: true } | { ok: false; error: string }>;
  status(): unknown;
}

type Handler = (b: InternalApiBackend, params: string[], body: unknown) => Promise<unknown> | unknown;

const routes: { method: string; pattern: RegExp; handler: Handler }[] = [
  { method: 'GET', pattern: /^\/_shoal\/status$/, handler: (b) => b.status() },
  {
    method: 'GET',
    pattern: /^\/_shoal\/target-groups\/([^/]+)\/targets$/,
    handler: (b, [group]) => {
      const out = b.describeTargetHealth(group!);
      if (out === undefined) throw groupNotFound(group!);
      return { targetHealthDescriptions: out };
    },
  },
  {
    method: 'POST',
    pattern: /^\/_shoal\/target-groups\/([^/]+)\/register$/,
    handler: (b, [group], body) => {
      b.registerTargets(group!, targetsOf(body));
      return {};
    },
  },
  {
    method: 'POST',
    pattern: /^\/_shoal\/target-groups\/([^/]+)\/deregister$/,
    handler: (b, [group], body) => ({ deregistered: b.deregisterTargets(group!, targetsOf(body)) }),
  },
  {
    method: 'POST',
    pattern: /^\/_shoal\/reload$/,
    handler: async (b) => {
      const r = await b.reload();
      if (!r.ok) throw new ShoalError('ValidationError', r.error, 400);
      return r;
    },
  },
  ...asgRoutes,
  ...refreshRoutes,
  ...metricsRoutes,
  ...scalingRoutes,
  ...policyRoutes,
  ...matchRoutes,
  ...createRoutes,
  ...ecsRoutes,
];

export async function handleInternal(b: InternalApiBackend, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const path = (req.url ?? '/').split('?')[0]!;
  if (!path.startsWith('/_shoal/')) return false;
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (!m || r.method !== req.method) continue;
    try {
      const body = req.method === 'POST' ? await readJson(req) : undefined;
      const params = m.slice(1).map((p) => decodeURIComponent(p));
      send(res, 200, await r.handler(b, params, body));
    } catch (err) {
      const e = err instanceof ShoalError ? err : new ShoalError('InternalFailure', errorMessage(err), 500);
      send(res, e.status, { code: e.code, message: e.message });
    }
    return true;
  }
  send(res, 404, { code: 'UnknownOperation', message: `No such operation: ${req.method} ${path}` });
  return true;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > 1 << 20) throw new ShoalError('ValidationError', 'request body over 1 MiB', 400);
    chunks.push(c);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ShoalError('ValidationError', 'request body is not valid JSON', 400);
  }
}

function targetsOf(body: unknown): Target[] {
  const targets = (body as { targets?: unknown } | undefined)?.targets;
  if (!Array.isArray(targets)) throw new ShoalError('ValidationError', 'body must be {"targets": [{"id": IP, "port": N}]}', 400);
  return targets as Target[];
}

function groupNotFound(group: string): ShoalError {
  return new ShoalError('TargetGroupNotFound', `One or more target groups not found: '${group}'`, 400);
}
