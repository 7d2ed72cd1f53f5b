/**
 * One active health check: a single HTTP or HTTPS GET, as an ALB node sends it
 * (User-Agent ELB-HealthChecker/2.0, a fresh connection closed afterwards).
 */
import http from 'node:http';
import https from 'node:https';
import type { Clock } from '../../core/clock.js';
import type { Matcher } from './matcher.js';

export type ProbeKind = 'ok' | 'code-mismatch' | 'timeout' | 'error';

export interface ProbeResult {
  ok: boolean;
  kind: ProbeKind;
  /** The response's status code, when one arrived. */
  statusCode?: number;
  /** What happened, for logs and the activity history ("connect ECONNREFUSED 127.0.0.1:9001"). */
  detail: string;
}

export interface ProbeRequest {
  host: string;
  port: number;
  /** Path and query, starting with "/". */
  path: string;
  timeoutMs: number;
  /** Which status codes count as healthy (parseMatcher). */
  matches: Matcher;
  /** HTTPS: TLS without verifying the target's certificate (as ALB). TCP: a connect only (probe-tcp.ts). Default HTTP. */
  protocol?: 'HTTP' | 'HTTPS' | 'TCP';
}

/**
 * Contract: resolves once, never rejects, within about timeoutMs (measured on
 * `clock`). The health checker also guards the timeout itself, so a fake that
 * never settles still counts as a Target.Timeout.
 */
export type ProbeFn = (req: ProbeRequest, clock: Clock) => Promise<ProbeResult>;

export const USER_AGENT = 'ELB-HealthChecker/2.0';

/** Sends one GET and waits for the whole response (body drained and discarded) or the timeout. */
export function probeHttp(req: ProbeRequest, clock: Clock): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let settled = false;
    const hostHeader = req.host.includes(':') ? `[${req.host}]:${req.port}` : `${req.host}:${req.port}`;
    const options = {
      host: req.host,
      port: req.port,
      path: req.path,
      method: 'GET',
      agent: false as const,
      setHost: false,
      headers: { Host: hostHeader, 'User-Agent': USER_AGENT, Connection: 'close', Accept: '*/*' },
    };
    const request = req.protocol === 'HTTPS' ? https.request({ ...options, rejectUnauthorized: false }) : http.request(options);
    const finish = (result: ProbeResult): void => {
      if (settled) return;
      settled = true;
      timer.cancel();
      request.destroy();
      resolve(result);
    };
    // The timeout runs on the injected clock (not socket timeouts) so it covers
    // connect, headers and body alike, and tests can drive it.
    const timer = clock.after(req.timeoutMs, () =>
      finish({ ok: false, kind: 'timeout', detail: `no complete response within ${req.timeoutMs} ms` }),
    );
    request.on('response', (res) => {
      const code = res.statusCode ?? 0;
      const ok = req.matches(code);
      res.on('end', () =>
        finish(ok
          ? { ok: true, kind: 'ok', statusCode: code, detail: `HTTP ${code}` }
          : { ok: false, kind: 'code-mismatch', statusCode: code, detail: `HTTP ${code} does not match the success codes` }),
      );
      res.on('error', (err) => finish({ ...failure(err), statusCode: code }));
      res.on('close', () => {
        if (!res.complete) finish({ ok: false, kind: 'error', statusCode: code, detail: 'connection closed mid-response' });
      });
      res.resume(); // drain and discard the body
    });
    request.on('error', (err) => finish(failure(err)));
    request.end();
  });
}

function failure(err: Error & { code?: string }): ProbeResult {
  const detail = err.code?.startsWith('HPE_') ? `malformed response: ${err.message}` : err.message;
  return { ok: false, kind: 'error', detail };
}
