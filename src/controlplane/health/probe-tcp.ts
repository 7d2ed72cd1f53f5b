/**
 * A TCP health check, as an NLB node runs it: the target passes when a
 * connection opens within the timeout; the connection is closed at once
 * (nothing is sent). probeTarget picks the probe by the check's protocol.
 */
import { connect } from 'node:net';
import type { Clock } from '../../core/clock.js';
import { probeHttp, type ProbeRequest, type ProbeResult } from './probe.js';

/** Same contract as ProbeFn: resolves once, never rejects, within about timeoutMs. */
export function probeTcp(req: ProbeRequest, clock: Clock): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let settled = false;
    const socket = connect({ host: req.host, port: req.port });
    const finish = (result: ProbeResult): void => {
      if (settled) return;
      settled = true;
      timer.cancel();
      socket.destroy();
      resolve(result);
    };
    const timer = clock.after(req.timeoutMs, () =>
      finish({ ok: false, kind: 'timeout', detail: `no connection within ${req.timeoutMs} ms` }));
    socket.once('connect', () => finish({ ok: true, kind: 'ok', detail: 'TCP connection established' }));
    socket.once('error', (err) => finish({ ok: false, kind: 'error', detail: err.message }));
  });
}

/** The probe for a check's protocol: TCP connects, HTTP and HTTPS send a GET (probe.ts). */
export function probeTarget(req: ProbeRequest, clock: Clock): Promise<ProbeResult> {
  return req.protocol === 'TCP' ? probeTcp(req, clock) : probeHttp(req, clock);
}
