/**
 * `shoal cert [names...]`: a local development CA (made once, in ~/.shoal/ca
 * or --ca-dir) and certificates it signs for the given names, written as
 * <name>.pem and <name>.key (--out, default the current directory). Nothing
 * goes over the network. Prints how to make curl, Node, the system and
 * Chromium trust the CA, and the listener lines that use the files.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { issue, loadIssuer, newCa, type Issuer } from './cert/issue.js';

export interface CertOptions {
  names: string[];
  /** Where the CA lives; default ~/.shoal/ca. */
  caDir?: string;
  /** Where certificates are written; default the current directory. */
  out?: string;
}

export interface CertResult {
  caCert: string;
  createdCa: boolean;
  files: { cert: string; key: string }[];
  text: string;
}

export async function makeCerts(o: CertOptions): Promise<CertResult> {
  const caDir = resolve(o.caDir ?? join(homedir(), '.shoal', 'ca'));
  const out = resolve(o.out ?? '.');
  const ca = await ensureCa(caDir);
  const files: CertResult['files'] = [];
  if (o.names.length > 0) {
    mkdirSync(out, { recursive: true });
    const c = await issue(ca.issuer, { names: o.names });
    const base = join(out, fileBase(o.names[0]!));
    files.push({ cert: `${base}.pem`, key: `${base}.key` });
    writeFileSync(`${base}.pem`, c.cert);
    writeFileSync(`${base}.key`, c.key, { mode: 0o600 });
  }
  return { caCert: ca.certFile, createdCa: ca.created, files, text: report(ca.certFile, ca.created, o.names, files) };
}

/** "*.apps.localhost" -> "_wildcard.apps.localhost" (as mkcert names them). */
function fileBase(name: string): string {
  return name.replace(/^\*/, '_wildcard').replace(/[^A-Za-z0-9._-]/g, '_');
}

async function ensureCa(dir: string): Promise<{ issuer: Issuer; certFile: string; created: boolean }> {
  const certFile = join(dir, 'ca.pem');
  const keyFile = join(dir, 'ca.key');
  if (existsSync(certFile) && existsSync(keyFile)) {
    return { issuer: await loadIssuer(readFileSync(certFile, 'utf8'), readFileSync(keyFile, 'utf8')), certFile, created: false };
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ca = await newCa();
  writeFileSync(keyFile, ca.key, { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  writeFileSync(certFile, ca.cert);
  return { issuer: ca.issuer, certFile, created: true };
}

function report(caFile: string, created: boolean, names: string[], files: CertResult['files']): string {
  const lines = [created ? `Created a development CA: ${caFile} (its key beside it, mode 0600; keep it private)` : `Using the development CA ${caFile}`];
  for (const f of files) lines.push(`Wrote ${f.cert} and ${f.key} for ${names.join(', ')} (valid 397 days)`);
  lines.push(
    '',
    'To trust the CA (once per machine or browser profile):',
    `  curl:      curl --cacert ${caFile} https://${names[0] ?? 'web.localhost'}/`,
    `  Node:      NODE_EXTRA_CA_CERTS=${caFile} node app.js`,
    `  Debian:    sudo cp ${caFile} /usr/local/share/ca-certificates/shoal-development-ca.crt && sudo update-ca-certificates`,
    `  Chromium:  certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n "shoal development CA" -i ${caFile}   (certutil: apt install libnss3-tools)`,
    '  Firefox:   Settings > Privacy & Security > Certificates > View Certificates > Authorities > Import',
  );
  if (files.length > 0) {
    lines.push('', 'In shoal.yaml:', '      - port: 443', '        protocol: HTTPS', `        certificates: [{ certificateFile: ${files[0]!.cert}, privateKeyFile: ${files[0]!.key} }]`);
  }
  return lines.join('\n');
}
