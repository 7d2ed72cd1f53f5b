/**
 * The checks every request to the API listener passes before any route sees
 * it (docs/security.md): the Host header names this API (DNS rebinding), a
 * browser's Origin is this API's (cross-site requests), no CORS preflight is
 * ever granted, and under /_shoal/: credentials, the console's CSRF token on
 * cookie-authenticated writes, and a JSON Content-Type on writes (a page's
 * no-cors "simple" request can only send text/plain or form types).
 */
import type { IncomingMessage } from 'node:http';
import type { ApiAccess } from './access.js';
import { authenticate, refuse, type Principal, type Refusal } from './authenticate.js';
import { hostAllowed, originAllowed } from './hosts.js';
import { sameSecret } from './secrets.js';

export type GuardResult = { principal?: Principal } | { refusal: Refusal };

const READS = new Set(['GET', 'HEAD']);

export function guardRequest(req: IncomingMessage, path: string, access: ApiAccess): GuardResult {
  const host = req.headers.host;
  if (!hostAllowed(host, access.policy)) {
    return refuse(403, 'Forbidden',
      `The Host header ${JSON.stringify((host ?? '').slice(0, 100))} is not this API's address (${access.baseUrl().slice(7)}); ` +
      'requests through another name are refused (DNS rebinding). If you reach shoal through that name, add it to api.allowedHosts.');
  }
  const origin = req.headers.origin;
  if (!originAllowed(origin, access.policy)) {
    return refuse(403, 'Forbidden', `Cross-origin requests are not accepted (Origin: ${JSON.stringify((origin ?? '').slice(0, 100))}).`);
  }
  if (req.method === 'OPTIONS') {
    return refuse(405, 'MethodNotAllowed', "shoal's API does not answer CORS preflights: cross-origin calls are not allowed.");
  }
  if (path === METRICS_PATH) return guardMetrics(req, access);
  if (!path.startsWith('/_shoal/')) return {};
  const auth = authenticate(req, access.kinds);
  if ('refusal' in auth) return auth;
  const write = !READS.has(req.method ?? 'GET');
  if (write && auth.principal.kind === 'session') {
    const sent = req.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !sameSecret(sent, auth.principal.session.csrfToken)) {
      return refuse(403, 'AccessDenied',
        "A console call that changes state must carry the session's X-CSRF-Token header (the console page sends it; reload the page).");
    }
  }
  if (write && !isJson(req.headers['content-type'])) {
    return refuse(415, 'UnsupportedMediaType',
      `A ${req.method ?? ''} under /_shoal/ must have "Content-Type: application/json" (got ${JSON.stringify((req.headers['content-type'] ?? 'none').slice(0, 100))}), even with an empty body.`);
  }
  return auth;
}

export const METRICS_PATH = '/metrics';

const HOW_TO_SCRAPE =
  "Send the daemon's API token (<stateDir>/api-token, new at each start; Prometheus: authorization.credentials_file) " +
  'as "Authorization: Bearer <token>", or a pair of api.credentials as HTTP Basic (user accessKeyId, password secretAccessKey); ' +
  'or make GET /metrics public with api.metrics.public: true (docs/metrics.md).';

/** GET /metrics: read-only, credentials as under /_shoal/ or an api.credentials pair, unless api.metrics.public. */
function guardMetrics(req: IncomingMessage, access: ApiAccess): GuardResult {
  if (!READS.has(req.method ?? 'GET')) return refuse(405, 'MethodNotAllowed', `${METRICS_PATH} only answers GET.`);
  if (access.metricsKinds === null) return {};
  for (const kind of access.metricsKinds) {
    const r = kind.check(req);
    if (r) return 'refusal' in r ? { refusal: { ...r.refusal, message: `${r.refusal.message} ${HOW_TO_SCRAPE}` } } : r;
  }
  return refuse(401, 'MissingAuthenticationToken', `${METRICS_PATH} needs credentials. ${HOW_TO_SCRAPE}`);
}

/** application/json, parameters (charset) allowed, any case. */
export function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.split(';', 1)[0]!.trim().toLowerCase() === 'application/json';
}
