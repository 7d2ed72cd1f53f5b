import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AsciiOut } from './ascii-out.js';
import { ALB_FIELDS, formatAlb, formatAlbInto, formatJson, isoMicros, LineSegments, type LineContext } from './format.js';
import { parseAlbLine, splitAlbLine } from './parse.js';
import { AccessRecord } from './record.js';

const TG_ARN = 'arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067';
// Monotonic times are epoch milliseconds here, so the record's times are the wall times.
const ctx: LineContext = { elb: 'app/my-loadbalancer/50dc6c495c0c9188', targetGroupArn: () => TG_ARN, wall: (hr) => hr };

const RECEIVED = Date.parse('2018-07-02T22:22:48.364Z');
const END = Date.parse('2018-07-02T22:23:00.186Z') + 0.641;

/** AWS's "Example HTTP Entry", as a record. */
function awsExample(): AccessRecord {
  const r = new AccessRecord('http', '192.168.131.39', 2817, 'TID_0123456789abcdef0123456789abcdef');
  r.begin(RECEIVED, 1000);
  r.sentAt = RECEIVED;
  r.targetHeadAt = r.respondedAt = RECEIVED + 1;
  r.elbStatus = r.targetStatus = 200;
  r.headBytes = 34;
  r.sentBytes = 366;
  r.method = 'GET';
  r.url = 'http://www.example.com:80/';
  r.version = 'HTTP/1.1';
  r.userAgent = 'curl/7.46.0';
  r.target = '10.0.0.1:80';
  r.targetGroup = 'my-targets';
  r.traceId = 'Root=1-58337262-36d228ad5d99923122bbe354';
  r.matchedPriority = 0;
  r.action = 'forward';
  return r;
}

describe('ALB access log lines', () => {
  it("writes AWS's documented HTTP example field for field, then the later fields AWS added", () => {
    const aws =
      'http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 ' +
      '192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 ' +
      '"GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - ' +
      `${TG_ARN} "Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" ` +
      '0 2018-07-02T22:22:48.364000Z "forward" "-" "-"';
    const later = ' "10.0.0.1:80" "200" "-" "-" TID_0123456789abcdef0123456789abcdef\n';
    assert.equal(formatAlb(awsExample(), END, ctx), aws + later);
  });

  it('names every field in AWS order when read back', () => {
    const e = parseAlbLine(formatAlb(awsExample(), END, ctx).trimEnd());
    assert.equal(ALB_FIELDS.length, 30);
    assert.deepEqual(
      { type: e.type, target: e['target:port'], request: e.request, ua: e.user_agent, rule: e.matched_rule_priority, conn: e.conn_trace_id },
      { type: 'http', target: '10.0.0.1:80', request: 'GET http://www.example.com:80/ HTTP/1.1', ua: 'curl/7.46.0', rule: '0', conn: 'TID_0123456789abcdef0123456789abcdef' },
    );
    assert.deepEqual(e.extra, []);
  });

  const hostile: { description: string; userAgent: string }[] = [
    { description: 'a double quote and a backslash', userAgent: 'a "quoted" \\ agent' },
    { description: 'a line break (a forged second entry)', userAgent: 'x"\nhttp 2018-01-01T00:00:00.000000Z forged' },
    { description: 'tabs and control bytes', userAgent: 'a\tb\x01c\x7f' },
    { description: 'UTF-8 bytes as they arrive in a header (latin1 text)', userAgent: Buffer.from('Grüße 🐟', 'utf8').toString('latin1') },
  ];
  for (const c of hostile) {
    it(`keeps ${c.description} inside the user_agent field`, () => {
      const r = awsExample();
      r.userAgent = c.userAgent;
      const line = formatAlb(r, END, ctx);
      assert.equal(line.indexOf('\n'), line.length - 1, 'one line');
      assert.match(line, /^[\x20-\x7e]+\n$/, 'printable ASCII only');
      const fields = splitAlbLine(line.trimEnd());
      assert.equal(fields.length, ALB_FIELDS.length);
      const back = fields[ALB_FIELDS.indexOf('user_agent')]!;
      assert.equal(back, Buffer.from(c.userAgent, 'latin1').toString('utf8'));
    });
  }

  it('cuts a user agent at 8 KiB, as ALB does', () => {
    const r = awsExample();
    r.userAgent = 'u'.repeat(10_000);
    assert.equal(parseAlbLine(formatAlb(r, END, ctx).trimEnd()).user_agent.length, 8192);
  });

  it('a malformed request: no request line, no target, -1 times, no rule', () => {
    const r = new AccessRecord('https', '::1', 40000, 'TID_1');
    r.begin(RECEIVED, 0);
    r.elbStatus = 400;
    r.headBytes = 0;
    r.errorReason = 'RequestMalformed';
    r.sslCipher = 'TLS_AES_256_GCM_SHA384';
    r.sslProtocol = 'TLSv1.3';
    r.domainName = 'www.example.com';
    const e = parseAlbLine(formatAlb(r, END, ctx).trimEnd());
    assert.deepEqual(
      [e['client:port'], e['target:port'], e.request_processing_time, e.target_processing_time, e.response_processing_time, e.elb_status_code, e.target_status_code],
      ['[::1]:40000', '-', '-1', '-1', '-1', '400', '-'],
    );
    assert.deepEqual([e.request, e.user_agent, e.target_group_arn, e.matched_rule_priority, e.actions_executed, e.error_reason],
      ['- - -', '-', '-', '-', '-', 'RequestMalformed']);
    assert.deepEqual([e.ssl_cipher, e.ssl_protocol, e.domain_name], ['TLS_AES_256_GCM_SHA384', 'TLSv1.3', 'www.example.com']);
  });

  it('a redirect and a desync classification', () => {
    const r = awsExample();
    r.action = 'redirect';
    r.redirectUrl = 'https://www.example.com:443/';
    r.target = r.targetGroup = null;
    r.targetStatus = 0;
    r.sentAt = r.targetHeadAt = -1;
    r.respondedAt = RECEIVED;
    r.elbStatus = 301;
    r.matchedPriority = 10;
    r.classification = 'Acceptable';
    r.classificationReason = 'SpaceInUri';
    const e = parseAlbLine(formatAlb(r, END, ctx).trimEnd());
    assert.deepEqual(
      [e.actions_executed, e.redirect_url, e.elb_status_code, e.target_status_code, e['target:port_list'], e.matched_rule_priority, e.classification, e.classification_reason],
      ['redirect', 'https://www.example.com:443/', '301', '-', '-', '10', 'Acceptable', 'SpaceInUri'],
    );
  });

  it("a connection's record, reused for each of its requests, keeps its own fields and each request's target", () => {
    const r = new AccessRecord('https', '10.1.2.3', 40001, 'TID_conn');
    r.sslCipher = 'TLS_AES_128_GCM_SHA256';
    r.sslProtocol = 'TLSv1.3';
    r.domainName = 'web.example';
    const kept = new LineSegments(ctx);
    const o = new AsciiOut();
    const buf = Buffer.alloc(4096);
    const lines: string[] = [];
    for (let i = 0; i < 6; i++) {
      r.begin(RECEIVED + i, 0);
      r.target = i % 3 === 2 ? null : `10.0.0.${i % 2}:80`;
      r.targetGroup = r.target === null ? null : 'my-targets';
      r.elbStatus = r.target === null ? 503 : 200;
      o.start(buf, 0);
      formatAlbInto(o, r, END, ctx, kept);
      lines.push(buf.toString('latin1', 0, o.pos));
    }
    const rows = lines.map((l) => parseAlbLine(l.trimEnd()));
    assert.deepEqual(rows.map((e) => e['target:port']), ['10.0.0.0:80', '10.0.0.1:80', '-', '10.0.0.1:80', '10.0.0.0:80', '-']);
    assert.deepEqual(rows.map((e) => e['target:port_list']), ['10.0.0.0:80', '10.0.0.1:80', '-', '10.0.0.1:80', '10.0.0.0:80', '-']);
    assert.deepEqual(rows.map((e) => e.target_group_arn), [TG_ARN, TG_ARN, '-', TG_ARN, TG_ARN, '-']);
    for (const e of rows) {
      assert.deepEqual([e['client:port'], e.ssl_cipher, e.ssl_protocol, e.domain_name, e.conn_trace_id, e.elb],
        ['10.1.2.3:40001', 'TLS_AES_128_GCM_SHA256', 'TLSv1.3', 'web.example', 'TID_conn', ctx.elb]);
    }
    // The same record under another load balancer (a reload that renamed it): its fields are made again.
    const other: LineContext = { ...ctx, elb: 'app/other/0000000000000000' };
    o.start(buf, 0);
    formatAlbInto(o, r, END, other, new LineSegments(other));
    assert.equal(parseAlbLine(buf.toString('latin1', 0, o.pos).trimEnd()).elb, 'app/other/0000000000000000');
  });

  it('isoMicros: microseconds, and the second boundary', () => {
    assert.equal(isoMicros(Date.parse('2024-05-01T10:00:00.000Z')), '2024-05-01T10:00:00.000000Z');
    assert.equal(isoMicros(Date.parse('2024-05-01T10:00:00.999Z') + 0.9994), '2024-05-01T10:00:00.999999Z');
    assert.equal(isoMicros(Date.parse('2024-05-01T10:00:01.000Z') + 0.001), '2024-05-01T10:00:01.000001Z');
  });
});

describe('JSON access log lines', () => {
  it("one object per line with ALB's field names, numbers as numbers and null for '-'", () => {
    const line = formatJson(awsExample(), END, ctx);
    assert.equal(line.indexOf('\n'), line.length - 1);
    const o = JSON.parse(line) as Record<string, unknown>;
    const names = ALB_FIELDS.flatMap((f) => (f === 'client:port' ? ['client_ip', 'client_port'] : f === 'target:port' ? ['target_ip', 'target_port'] : [f]));
    assert.deepEqual(Object.keys(o), names);
    assert.deepEqual(
      [o.client_ip, o.client_port, o.target_ip, o.target_port, o.target_processing_time, o.elb_status_code, o.received_bytes, o.ssl_cipher, o.time],
      ['192.168.131.39', 2817, '10.0.0.1', 80, 0.001, 200, 34, null, '2018-07-02T22:23:00.186641Z'],
    );
  });
});
