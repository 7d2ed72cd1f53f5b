/**
 * The API must not face a network with the keys everyone knows: api.listen on
 * an address other than loopback while api.credentials are (or include) the
 * default test/test pair is refused, so `shoal validate` says so before
 * `shoal up` would bind (docs/security.md). Runs on raw data, defensively.
 */
import { isLoopbackHost } from '../core/addresses.js';
import type { RawIssue } from './issues.js';
import { parseHostPort } from './schema.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function checkApiExposure(data: Obj, issues: RawIssue[]): void {
  const api = isObj(data.api) ? data.api : {};
  if (api.listen === undefined) return; // the default, 127.0.0.1:4566
  const listen = parseHostPort(api.listen);
  if (!listen || isLoopbackHost(listen.host)) return;
  if (api.allowUnsigned === true) {
    issues.push({ path: ['api', 'allowUnsigned'], message: `unsigned AWS API calls are only allowed on a loopback api.listen (${String(api.listen)} is not one)` });
  }
  const creds = api.credentials === undefined ? [{ accessKeyId: 'test', secretAccessKey: 'test' }] : api.credentials;
  if (!Array.isArray(creds) || !creds.some((c) => isObj(c) && c.accessKeyId === 'test' && c.secretAccessKey === 'test')) return;
  issues.push({
    path: ['api', 'listen'],
    message: `${String(api.listen)} is not a loopback address, and api.credentials ${api.credentials === undefined ? 'are the default' : 'include the default'} ` +
      'test/test keys anyone knows; set api.credentials to your own keys (and no test/test pair), or listen on 127.0.0.1',
  });
}
