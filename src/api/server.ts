/** The API listener (api.listen): shoal's JSON API under /_shoal/ and the web console at /. */
import { createServer, type Server } from 'node:http';
import type { Logger } from '../core/log.js';
import { handleInternal, type InternalApiBackend } from './internal.js';
import { serveConsole } from './console.js';

export function parseListen(listen: string): { host: string; port: number } {
  const i = listen.lastIndexOf(':');
  const host = listen.slice(0, i).replace(/^\[|\]$/g, '');
  return { host, port: Number(listen.slice(i + 1)) };
}

export async function startApiServer(listen: string, backend: InternalApiBackend, log: Logger): Promise<Server> {
  const server = createServer((req, res) => {
    handleInternal(backend, req, res)
      .then((handled) => {
        if (handled) return;
        if (req.method === 'GET' && (req.url === '/' || req.url === '/console')) return serveConsole(res);
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
