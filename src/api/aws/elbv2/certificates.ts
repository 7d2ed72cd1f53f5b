/**
 * HTTPS listeners' certificates through the API. shoal has no ACM: a
 * certificate is named by its PEM file, `CertificateArn=/abs/path/web.pem`
 * (or `file:///abs/path/web.pem`), with its private key in the file beside
 * it ending in .key (what `shoal cert` writes), or in the same file. The
 * config's own checks (readable, key matches, not expired) then apply.
 */
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { ListenerCertificate } from '../../../model/load-balancer.js';
import { awsError, type Input, type Output } from '../common/op.js';

export function certificatesIn(certs: Input[] | undefined): ListenerCertificate[] | undefined {
  if (certs === undefined) return undefined;
  return certs.map((c) => {
    const arn = String(c.CertificateArn ?? '');
    const path = arn.startsWith('file://') ? decodeURIComponent(arn.slice('file://'.length)) : arn;
    if (!isAbsolute(path)) {
      throw awsError('CertificateNotFound', `Certificate '${arn}' not found: shoal has no ACM; name a PEM file by its absolute path (CertificateArn=/path/web.pem, key in /path/web.key), e.g. one made by shoal cert.`);
    }
    const key = path.replace(/\.(pem|crt|cer)$/, '.key');
    return { certificateFile: path, privateKeyFile: key !== path && existsSync(key) ? key : path };
  });
}

export function certificatesOut(certs: readonly ListenerCertificate[] | undefined): Output[] | undefined {
  return certs?.map((c, i) => ({ CertificateArn: c.certificateFile, IsDefault: i === 0 }));
}
