/**
 * HTTPS listener config: the files it names are checked when the config is
 * read, each problem at the field naming the file (file:line:column), and
 * paths resolve against the config file's directory.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { newCa, issue } from '../cli/cert/issue.js';
import { ConfigError, type ConfigIssue } from './errors.js';
import { parseConfig } from './load.js';

const DAY = 86_400_000;
let dir = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shoal-tls-config-'));
  const ca = await newCa();
  const web = await issue(ca.issuer, { names: ['web.localhost'] });
  const api = await issue(ca.issuer, { names: ['api.localhost'] });
  const old = await issue(ca.issuer, { names: ['old.localhost'], notBefore: new Date(Date.parse('2020-01-01')), notAfter: new Date(Date.parse('2020-01-01') + DAY) });
  const files: Record<string, string> = {
    'ca.pem': ca.cert, 'web.pem': web.cert, 'web.key': web.key, 'api.pem': api.cert, 'api.key': api.key,
    'old.pem': old.cert, 'old.key': old.key, 'junk.pem': 'not a certificate\n', 'locked.pem': web.cert,
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  chmodSync(join(dir, 'locked.pem'), 0o000);
});

after(() => rmSync(dir, { recursive: true, force: true }));

/** An HTTPS listener on 443 whose listener-level lines are `extra` (8 spaces in). */
function https(extra: string): string {
  return `loadBalancers:
  - name: web
    listeners:
      - port: 443
        protocol: HTTPS
        defaultActions: [{ type: forward, targetGroup: app }]
${extra}
targetGroups:
  - name: app
    port: 80
`;
}

const pair = (cert: string, key: string) => `        certificates:\n          - { certificateFile: ${cert}, privateKeyFile: ${key} }`;

function issuesOf(yaml: string): ConfigIssue[] {
  try {
    parseConfig(yaml, join(dir, 'shoal.yaml'));
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  return [];
}

interface Case {
  name: string;
  yaml: () => string;
  at: string;
  path: string;
  message: string;
}

const L = 'loadBalancers[0].listeners[0]';
const cases: Case[] = [
  { name: 'missing certificate file', yaml: () => https(pair('nope.pem', 'web.key')), at: '8:32', path: `${L}.certificates[0].certificateFile`, message: `cannot read ${join(dir, 'nope.pem')}: ENOENT` },
  { name: 'missing key file', yaml: () => https(pair('web.pem', 'nope.key')), at: '8:57', path: `${L}.certificates[0].privateKeyFile`, message: 'cannot read' },
  { name: 'not a certificate', yaml: () => https(pair('junk.pem', 'web.key')), at: '8:32', path: `${L}.certificates[0].certificateFile`, message: 'is not a PEM certificate' },
  { name: 'a key that is not the certificate\'s', yaml: () => https(pair('web.pem', 'api.key')), at: '8:57', path: `${L}.certificates[0].privateKeyFile`, message: 'is not the key of certificateFile web.pem (CN=web.localhost' },
  { name: 'expired certificate', yaml: () => https(pair('old.pem', 'old.key')), at: '8:32', path: `${L}.certificates[0].certificateFile`, message: 'expired on 2020-01-02T00:00:00.000Z' },
  { name: 'the second certificate is checked too', yaml: () => https(`${pair('web.pem', 'web.key')}\n          - { certificateFile: api.pem, privateKeyFile: web.key }`), at: '9:57', path: `${L}.certificates[1].privateKeyFile`, message: 'is not the key of certificateFile api.pem' },
  { name: 'unknown policy name', yaml: () => https(`${pair('web.pem', 'web.key')}\n        sslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-6`), at: '9:20', path: `${L}.sslPolicy`, message: 'did you mean "ELBSecurityPolicy-TLS13-1-2-2021-06"?' },
  { name: 'unknown ALPN policy', yaml: () => https(`${pair('web.pem', 'web.key')}\n        alpnPolicy: HTTP2`), at: '9:21', path: `${L}.alpnPolicy`, message: 'must be one of HTTP1Only, HTTP2Only, HTTP2Optional, HTTP2Preferred, None' },
  { name: 'verify without a trust store', yaml: () => https(`${pair('web.pem', 'web.key')}\n        mutualAuthentication: { mode: verify }`), at: '9:31', path: `${L}.mutualAuthentication.trustStore`, message: 'is required with mode verify' },
  { name: 'unreadable trust store', yaml: () => https(`${pair('web.pem', 'web.key')}\n        mutualAuthentication: { mode: verify, trustStore: missing-ca.pem }`), at: '9:59', path: `${L}.mutualAuthentication.trustStore`, message: 'cannot read' },
  { name: 'certificates on an HTTP listener', yaml: () => https(pair('web.pem', 'web.key')).replace('protocol: HTTPS', 'protocol: HTTP'), at: '8:11', path: `${L}.certificates`, message: 'is only for HTTPS and TLS listeners' },
];

describe('HTTPS listener config errors', () => {
  for (const c of cases) {
    it(c.name, () => {
      const issues = issuesOf(c.yaml());
      const match = issues.find((i) => i.path === c.path && i.message.includes(c.message));
      const got = issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`).join('\n');
      assert.ok(match, `no issue at ${c.path} containing ${JSON.stringify(c.message)}; got:\n${got}`);
      assert.equal(`${match.line}:${match.column}`, c.at, `position of ${c.path}; got:\n${got}`);
      assert.equal(match.file, join(dir, 'shoal.yaml'));
    });
  }

  it('an unreadable file says why (permission)', { skip: process.getuid?.() === 0 ? 'root reads any file' : false }, () => {
    const issues = issuesOf(https(pair('locked.pem', 'web.key')));
    assert.ok(issues.some((i) => i.message.includes('EACCES')));
  });
});

describe('HTTPS listener config, normalized', () => {
  it('resolves paths against the config file, fills the policy defaults and keeps HTTP listeners as they were', () => {
    const yaml = https(`${pair('web.pem', 'web.key')}\n          - { certificateFile: ${join(dir, 'api.pem')}, privateKeyFile: api.key }`)
      .replace('targetGroups:', `      - port: 80\n        defaultActions: [{ type: redirect, redirectConfig: { protocol: HTTPS, port: "443", statusCode: HTTP_301 } }]\ntargetGroups:`);
    const cfg = parseConfig(yaml, join(dir, 'shoal.yaml'));
    const [h, plain] = cfg.loadBalancers[0]!.listeners;
    assert.deepEqual(h!.certificates, [
      { certificateFile: join(dir, 'web.pem'), privateKeyFile: join(dir, 'web.key') },
      { certificateFile: join(dir, 'api.pem'), privateKeyFile: join(dir, 'api.key') },
    ]);
    assert.equal(h!.sslPolicy, 'ELBSecurityPolicy-TLS13-1-2-2021-06');
    assert.equal(h!.alpnPolicy, 'None');
    assert.deepEqual(h!.mutualAuthentication, { mode: 'off' });
    assert.deepEqual(Object.keys(plain!).sort(), ['defaultActions', 'port', 'protocol', 'rules']);
  });

  it('an HTTPS target group checks health over HTTPS unless told otherwise', () => {
    const cfg = parseConfig('targetGroups:\n  - { name: a, port: 443, protocol: HTTPS }\n  - { name: b, port: 443, protocol: HTTPS, healthCheck: { protocol: HTTP } }\n  - { name: c, port: 80 }\n', join(dir, 'shoal.yaml'));
    assert.deepEqual(cfg.targetGroups.map((g) => [g.protocol, g.healthCheck.protocol]), [['HTTPS', 'HTTPS'], ['HTTPS', 'HTTP'], ['HTTP', 'HTTP']]);
  });
});
