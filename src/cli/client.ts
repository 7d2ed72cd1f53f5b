/**
 * The CLI's client for the daemon's API. The endpoint comes from --endpoint,
 * SHOAL_ENDPOINT, or the config's api.listen; the API token from --api-token,
 * SHOAL_TOKEN, or <stateDir>/api-token of the config (-f FILE, SHOAL_CONFIG,
 * ./shoal.yaml), which the daemon writes at start: on the daemon's machine
 * the CLI needs no extra step (docs/security.md).
 */
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import type { Command } from 'commander';
import { loadConfigFile } from '../config/index.js';
import { ShoalError, errorMessage } from '../core/errors.js';
import { parseListen } from '../api/server.js';
import { readTokenFile, tokenPath } from '../api/auth/token-file.js';
import type { ShoalConfig } from '../model/config.js';

export interface EndpointOptions {
  endpoint?: string;
  file?: string;
  /** --api-token (not --token: the lifecycle commands' --token is AWS's lifecycle action token). */
  apiToken?: string;
  /** -o/--output: table (default) or json; --json is the same as --output json. */
  output?: string;
  json?: boolean;
}

/** Whether the command should print JSON (--output json or --json). */
export function asJson(o: EndpointOptions): boolean {
  if (o.output !== undefined && o.output !== 'json' && o.output !== 'table') {
    throw new ShoalError('ValidationError', `--output must be table or json (got ${JSON.stringify(o.output)})`);
  }
  return o.output === 'json' || o.json === true;
}

export interface Endpoint {
  address: string;
  token?: string;
  /** Where the token came from, or why there is none (added to the daemon's 401/403 message). */
  tokenNote: string;
}

/** -f, --endpoint and --api-token, for every command that calls the daemon. */
export function endpointOptions(c: Command): Command {
  return c
    .option('-f, --file <file>', 'config file, to find the daemon (api.listen) and its API token (stateDir)')
    .option('--endpoint <host:port>', 'daemon API address (default: from the config, else 127.0.0.1:4566)')
    .option('--api-token <token>', "the daemon's API token (default: SHOAL_TOKEN, else <stateDir>/api-token of the config)")
    .option('-o, --output <format>', 'table (default) or json');
}

function configFile(o: EndpointOptions): string | undefined {
  return o.file ?? process.env.SHOAL_CONFIG ?? (existsSync('shoal.yaml') ? 'shoal.yaml' : undefined);
}

export function resolveEndpoint(o: EndpointOptions): Endpoint {
  const explicit = o.endpoint ?? process.env.SHOAL_ENDPOINT;
  const file = configFile(o);
  let config: ShoalConfig | undefined;
  let configError: unknown;
  try {
    config = file === undefined ? undefined : loadConfigFile(file);
  } catch (err) {
    if (!explicit) throw err; // the config was needed to find the daemon
    configError = err;
  }
  const address = explicit ? explicit.replace(/^https?:\/\//, '').replace(/\/$/, '') : config?.api.listen ?? '127.0.0.1:4566';
  if (o.apiToken) return { address, token: o.apiToken, tokenNote: 'the CLI sent the token given with --api-token' };
  if (process.env.SHOAL_TOKEN) return { address, token: process.env.SHOAL_TOKEN, tokenNote: 'the CLI sent the token in SHOAL_TOKEN' };
  if (configError !== undefined) {
    return { address, tokenNote: `the CLI found no token: ${file ?? ''} does not load (${errorMessage(configError).split('\n')[0]})` };
  }
  if (!config && existsSync(tokenPath('.shoal'))) {
    const read = readTokenFile('.shoal'); // `shoal up` without a file keeps its state in ./.shoal
    if ('token' in read) return { address, token: read.token, tokenNote: `the CLI sent the token from ${tokenPath('.shoal')}` };
  }
  if (!config) {
    return { address, tokenNote: 'the CLI found no token: no --api-token, no SHOAL_TOKEN, and no config (-f FILE, SHOAL_CONFIG, ./shoal.yaml) to find <stateDir>/api-token' };
  }
  const read = readTokenFile(config.stateDir);
  if ('error' in read) return { address, tokenNote: `the CLI found no token: ${read.error}` };
  return { address, token: read.token, tokenNote: `the CLI sent the token from ${tokenPath(config.stateDir)}` };
}

const AUTH_CODES = new Set(['MissingAuthenticationToken', 'InvalidClientTokenId', 'AccessDenied']);

export function callApi<T>(endpoint: Endpoint | string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const ep: Endpoint = typeof endpoint === 'string' ? { address: endpoint, tokenNote: 'no token was given' } : endpoint;
  const { host, port } = parseListen(ep.address);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = {};
  if (method !== 'GET') headers['content-type'] = 'application/json';
  if (ep.token) headers.authorization = `Bearer ${ep.token}`;
  return new Promise((resolve, reject) => {
    const req = request({ host, port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          return reject(new ShoalError('InternalFailure', `unexpected answer from ${ep.address}: ${text.slice(0, 200)}`));
        }
        if ((res.statusCode ?? 500) >= 400) {
          const e = json as { code?: string; message?: string };
          const code = e.code ?? 'InternalFailure';
          const note = AUTH_CODES.has(code) ? `\n(${ep.tokenNote})` : '';
          return reject(new ShoalError(code, (e.message ?? text) + note, res.statusCode));
        }
        resolve(json as T);
      });
    });
    req.on('error', (err) =>
      reject(new ShoalError('ConnectionFailed', `cannot reach the shoal daemon at ${ep.address} (${err.message}); is \`shoal up\` running?`)),
    );
    req.end(payload);
  });
}
