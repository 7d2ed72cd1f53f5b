/**
 * The files an HTTPS listener names, checked when the config is read (start,
 * SIGHUP, a certificate file change): each readable, each certificate PEM
 * and within its validity, each key PEM and the certificate's own, each
 * trust store holding certificates. Issues point at the field naming the
 * file (file:line), so a bad renewal is rejected and the old one keeps serving.
 * Runs on the raw data, like references.ts: reads are defensive.
 */
import { readFileSync } from 'node:fs';
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { systemClock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { IssuePath, RawIssue } from './issues.js';
import { resolvePath } from './normalize-tls.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const items = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function checkTlsFiles(data: unknown, configDir: string, now = systemClock.now()): RawIssue[] {
  if (!isObj(data)) return [];
  const issues: RawIssue[] = [];
  items(data.loadBalancers).forEach((lb, l) => {
    if (!isObj(lb)) return;
    items(lb.listeners).forEach((listener, n) => {
      if (!isObj(listener) || (listener.protocol !== 'HTTPS' && listener.protocol !== 'TLS')) return;
      const at: IssuePath = ['loadBalancers', l, 'listeners', n];
      items(listener.certificates).forEach((c, i) => {
        if (isObj(c)) checkPair(c, { configDir, now, at: [...at, 'certificates', i] }, issues);
      });
      const m = listener.mutualAuthentication;
      if (isObj(m) && m.mode === 'verify' && typeof m.trustStore === 'string') {
        checkTrustStore(resolvePath(configDir, m.trustStore), [...at, 'mutualAuthentication', 'trustStore'], issues);
      }
    });
  });
  return issues;
}

interface Where {
  configDir: string;
  now: number;
  at: IssuePath;
}

function read(file: string, at: IssuePath, issues: RawIssue[]): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    issues.push({ path: at, message: `cannot read ${file}: ${errorMessage(err)}` });
    return undefined;
  }
}

function checkPair(c: Obj, w: Where, issues: RawIssue[]): void {
  const cert = typeof c.certificateFile === 'string' ? certificate(resolvePath(w.configDir, c.certificateFile), w, issues) : undefined;
  const keyFile = typeof c.privateKeyFile === 'string' ? resolvePath(w.configDir, c.privateKeyFile) : undefined;
  if (keyFile === undefined) return;
  const key = privateKey(keyFile, [...w.at, 'privateKeyFile'], issues);
  if (cert !== undefined && key !== undefined && !cert.checkPrivateKey(key)) {
    issues.push({ path: [...w.at, 'privateKeyFile'], message: `${keyFile} is not the key of certificateFile ${String(c.certificateFile)} (${cert.subject.replace(/\n/g, ', ')}); use the key the certificate was issued for` });
  }
}

function certificate(file: string, w: Where, issues: RawIssue[]): X509Certificate | undefined {
  const at = [...w.at, 'certificateFile'];
  const pem = read(file, at, issues);
  if (pem === undefined) return undefined;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (err) {
    issues.push({ path: at, message: `${file} is not a PEM certificate (${errorMessage(err)}); it must hold -----BEGIN CERTIFICATE----- blocks, the server's first` });
    return undefined;
  }
  const notAfter = Date.parse(cert.validTo);
  const notBefore = Date.parse(cert.validFrom);
  if (notAfter < w.now) {
    issues.push({ path: at, message: `${file} expired on ${new Date(notAfter).toISOString()}; renew it (shoal cert makes development certificates)` });
  } else if (notBefore > w.now) {
    issues.push({ path: at, message: `${file} is not valid before ${new Date(notBefore).toISOString()} (is the clock right?)` });
  }
  return cert;
}

function privateKey(file: string, at: IssuePath, issues: RawIssue[]): KeyObject | undefined {
  const pem = read(file, at, issues);
  if (pem === undefined) return undefined;
  try {
    return createPrivateKey(pem);
  } catch (err) {
    issues.push({ path: at, message: `${file} is not a PEM private key without a passphrase (${errorMessage(err)})` });
    return undefined;
  }
}

function checkTrustStore(file: string, at: IssuePath, issues: RawIssue[]): void {
  const pem = read(file, at, issues);
  if (pem === undefined) return;
  try {
    new X509Certificate(pem);
  } catch (err) {
    issues.push({ path: at, message: `${file} holds no PEM CA certificate (${errorMessage(err)})` });
  }
}
