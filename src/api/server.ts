/**
 * The API listener (api.listen): shoal's JSON API under /_shoal/, the web
 * console at /, Prometheus' GET /metrics, and the AWS-compatible endpoint
 * (POSTs outside /_shoal/ and GETs with an Action: aws/endpoint/). Every request passes the guard first
 * (auth/guard.ts, docs/security.md); a refused one reaches no route. AWS
 * calls authenticate by SigV4 in the endpoint itself.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../core/log.js';
import type { ApiAccess } from './auth/access.js';
import type { Refusal } from './auth/authenticate.js';
import { METRICS_PATH, guardRequest } from './auth/guard.js';
import { handleConsoleRoutes } from './console-routes.js';
import { handleInternal, type InternalApiBackend } from './internal.js';
import { AwsEndpoint } from './aws/endpoint/endpoint.js';

/** GET /metrics: the exposition text (metrics/prometheus/exporter.ts). */
export interface MetricsExposition {
  readonly contentType: string;
  text(): Promise<string>;
}

export interface ApiParts {
  backend: InternalApiBackend;
  access: ApiAccess;
  aws: AwsEndpoint;
  metrics: MetricsExposition;
}

export function parseListen(listen: string): { host: string; port: number } {
  const i = listen.lastIndexOf(':');
  const host = listen.slice(0, i).replace(/^\[|\]$/g, '');
  return { host, port: Number(listen.slice(i + 1)) };
}

export async function startApiServer(listen: string, parts: ApiParts, log: Logger): Promise<Server> {
  const { backend, access, aws, metrics } = parts;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const verdict = guardRequest(req, path, access);
    if ('refusal' in verdict) return refuse(req, res, path, verdict.refusal);
    if (AwsEndpoint.wants(req, path)) {
      void aws.handle(req, res);
      return;
    }
    if (path === METRICS_PATH) {
      void serveMetrics(req, res, metrics).catch((err: unknown) => {
        log.error({ err: String(err) }, 'GET /metrics failed');
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
      return;
    }
    handleConsoleRoutes(req, res, { access, principal: verdict.principal })
      .then((handled) => handled || handleInternal(backend, req, res))
      .then((handled) => {
        if (handled) return;
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('shoal API: see / (console) and /_shoal/status\n');
      })
      .catch((err: unknown) => {
        log.error({ err: String(err) }, 'API request failed');
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
  });
  const { host, port } = parseListen(listen);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

async function serveMetrics(req: IncomingMessage, res: ServerResponse, metrics: MetricsExposition): Promise<void> {
  const text = await metrics.text();
  res.writeHead(200, { 'content-type': metrics.contentType, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : text);
}

/** JSON {code, message} under /_shoal/, text elsewhere; the body, if any, is not read, and the connection closes. */
function refuse(req: IncomingMessage, res: ServerResponse, path: string, r: Refusal): void {
  const api = path.startsWith('/_shoal/');
  const text = api ? JSON.stringify({ code: r.code, message: r.message }) : `${r.code}: ${r.message}\n`;
  res.writeHead(r.status, {
    'content-type': api ? 'application/json' : 'text/plain; charset=utf-8',
    'x-content-type-options': 'nosniff',
    'content-length': Buffer.byteLength(text),
    ...(r.status === 405 ? { allow: 'GET, POST' } : {}),
    connection: 'close',
  });
  res.end(text);
  req.resume();
}
