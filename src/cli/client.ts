/** The CLI's client for the daemon's API: endpoint from --endpoint, SHOAL_ENDPOINT, or the config file's api.listen. */
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { loadConfigFile } from '../config/index.js';
import { ShoalError } from '../core/errors.js';
import { parseListen } from '../api/server.js';

export interface EndpointOptions {
  endpoint?: string;
  file?: string;
}

export function resolveEndpoint(o: EndpointOptions): string {
  const explicit = o.endpoint ?? process.env.SHOAL_ENDPOINT;
  if (explicit) return explicit.replace(/^https?:\/\//, '');
  const file = o.file ?? (existsSync('shoal.yaml') ? 'shoal.yaml' : undefined);
  if (file) return loadConfigFile(file).api.listen;
  return '127.0.0.1:4566';
}

export function callApi<T>(endpoint: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const { host, port } = parseListen(endpoint);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request({ host, port, method, path, headers: payload ? { 'content-type': 'application/json' } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          return reject(new ShoalError('InternalFailure', `unexpected answer from ${endpoint}: ${text.slice(0, 200)}`));
        }
        if ((res.statusCode ?? 500) >= 400) {
          const e = json as { code?: string; message?: string };
          return reject(new ShoalError(e.code ?? 'InternalFailure', e.message ?? text, res.statusCode));
        }
        resolve(json as T);
      });
    });
    req.on('error', (err) =>
      reject(new ShoalError('ConnectionFailed', `cannot reach the shoal daemon at ${endpoint} (${err.message}); is \`shoal up\` running?`)),
    );
    req.end(payload);
  });
}
