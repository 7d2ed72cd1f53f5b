/** Development certificates for HTTPS tests, written as files (the way a user's config names them). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issue, newCa, type Issued, type Issuer } from '../../src/cli/cert/issue.js';

export interface TestCa {
  cert: string;
  issuer: Issuer;
  /** Issues a certificate for `names` and writes <file>.pem and <file>.key into dir; returns both PEMs. */
  write(dir: string, file: string, names: string[], o?: { client?: boolean; notAfter?: Date; notBefore?: Date }): Promise<Issued>;
}

export async function testCa(name = 'shoal test CA'): Promise<TestCa> {
  const ca = await newCa({ name });
  return {
    cert: ca.cert,
    issuer: ca.issuer,
    async write(dir, file, names, o = {}) {
      const c = await issue(ca.issuer, { names, ...o });
      writeFileSync(join(dir, `${file}.pem`), c.cert);
      writeFileSync(join(dir, `${file}.key`), c.key);
      return c;
    },
  };
}
