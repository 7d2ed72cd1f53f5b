/**
 * The AWS endpoint's wire protocols, measured against the real clients:
 * the SDK for JavaScript v3 (Query for elbv2, JSON 1.0 for CloudWatch),
 * current boto3 (CloudWatch in RPC v2 CBOR), Debian's boto3 (CloudWatch in
 * Query), the AWS CLI v1 (pip) and Debian's AWS CLI v2. The operations
 * behind the endpoint are stand-ins that echo what they got, so these tests
 * are about codecs, signatures and error shapes; the services' own tests
 * and aws-api.test.ts cover what the operations do.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { CloudWatchClient, ListMetricsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';

const SHA256 = Hash.bind(null, 'sha256');
import { ManualClock, systemClock, type Clock } from '../../src/core/clock.js';
import { ShoalError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/log.js';
import { AwsEndpoint } from '../../src/api/aws/endpoint/endpoint.js';
import type { Input, Operations } from '../../src/api/aws/common/op.js';

const run = promisify(execFile);
const CREDS = { accessKeyId: 'AKIDSHOAL', secretAccessKey: 'shoal-secret' };
const seen: Array<{ op: string; input: Input; region: string }> = [];

const cloudwatch: Operations = {
  PutMetricData(input, ctx) {
    seen.push({ op: 'PutMetricData', input, region: ctx.region });
    return {};
  },
  ListMetrics(input, ctx) {
    seen.push({ op: 'ListMetrics', input, region: ctx.region });
    if (input.Namespace === 'Missing') throw new ShoalError('ResourceNotFound', 'No metrics in namespace Missing.', 404);
    if (input.Namespace === 'Limit') throw new ShoalError('LimitExceeded', 'Too many.', 400);
    return { Metrics: [{ Namespace: input.Namespace ?? 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: 'i-0abc' }] }], ...(input.NextToken === undefined ? { NextToken: 'n2' } : {}) };
  },
};
const elbv2: Operations = {
  DescribeTargetGroups(input, ctx) {
    seen.push({ op: 'DescribeTargetGroups', input, region: ctx.region });
    const names = (input.Names as string[] | undefined) ?? ['web'];
    if (names.includes('nope')) throw new ShoalError('TargetGroupNotFound', "One or more target groups not found: 'nope'");
    return { TargetGroups: names.map((n) => ({ TargetGroupName: n, Port: 8080, Protocol: 'HTTP', HealthCheckEnabled: true, LoadBalancerArns: [] })) };
  },
};

function lastCall(op: string): { input: Input; region: string } {
  const found = seen.filter((s) => s.op === op).at(-1);
  assert.ok(found, `${op} was called`);
  return found;
}

async function serve(clock: Clock, allowUnsigned = false): Promise<{ server: Server; url: string }> {
  const aws = new AwsEndpoint({ services: { cloudwatch, elbv2 }, credentials: () => [CREDS], allowUnsigned: () => allowUnsigned, clock, log: silentLogger });
  const server = createServer((req, res) => void aws.handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const main = await serve(systemClock);
after(() => main.server.close());
const sdkConfig = { endpoint: main.url, region: 'eu-north-1', credentials: CREDS };

test('SDK v3, CloudWatch over JSON 1.0: input members, output, timestamps', async () => {
  const cw = new CloudWatchClient(sdkConfig);
  const out = await cw.send(new ListMetricsCommand({ Namespace: 'App', Dimensions: [{ Name: 'Group', Value: 'web' }] }));
  assert.deepEqual(out.Metrics, [{ Namespace: 'App', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: 'i-0abc' }] }]);
  assert.equal(out.NextToken, 'n2');
  const at = new Date('2026-12-06T03:00:00.250Z');
  await cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'Jobs', Value: 3, Timestamp: at, Unit: 'Count' }] }));
  const put = lastCall('PutMetricData');
  assert.equal(put.region, 'eu-north-1', 'the region the client signed for');
  assert.deepEqual(put.input.MetricData[0].Timestamp, at);
  assert.equal(put.input.MetricData[0].Value, 3);
});

test('SDK v3, CloudWatch over JSON 1.0: an error keeps its query code', async () => {
  const cw = new CloudWatchClient(sdkConfig);
  await assert.rejects(cw.send(new ListMetricsCommand({ Namespace: 'Limit' })), (e: Error & { Code?: string; $metadata: { httpStatusCode: number } }) => {
    assert.equal(e.name, 'LimitExceededFault', "the SDK's class for the modeled error");
    assert.equal(e.Code, 'LimitExceeded', 'its query code, from x-amzn-query-error');
    assert.equal(e.message, 'Too many.');
    assert.equal(e.$metadata.httpStatusCode, 400);
    return true;
  });
});

test('SDK v3, elbv2 over AWS Query: lists, booleans, errors', async () => {
  const elb = new ElasticLoadBalancingV2Client(sdkConfig);
  const out = await elb.send(new DescribeTargetGroupsCommand({ Names: ['a', 'b'] }));
  assert.deepEqual(out.TargetGroups?.map((g) => [g.TargetGroupName, g.Port, g.HealthCheckEnabled]), [['a', 8080, true], ['b', 8080, true]]);
  await assert.rejects(elb.send(new DescribeTargetGroupsCommand({ Names: ['nope'] })), (e: Error) => e.name === 'TargetGroupNotFoundException' && /nope/.test(e.message));
});

const PY_CBOR = `
import boto3, botocore, json, sys
c = boto3.client('cloudwatch', endpoint_url=sys.argv[1], region_name='ap-south-1', aws_access_key_id='AKIDSHOAL', aws_secret_access_key='shoal-secret')
print(json.dumps({'protocol': c.meta.service_model.protocol}))
print(json.dumps(c.list_metrics(Namespace='App')['Metrics']))
try:
    c.list_metrics(Namespace='Missing')
except botocore.exceptions.ClientError as e:
    print(json.dumps([e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]))
`;

test('boto3 (current, the machine Python): CloudWatch over RPC v2 CBOR', async () => {
  const { stdout } = await run('python3', ['-c', PY_CBOR, main.url]);
  const [proto, metrics, error] = stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(proto.protocol, 'smithy-rpc-v2-cbor', 'this boto3 speaks CBOR to CloudWatch');
  assert.deepEqual(metrics, [{ Namespace: 'App', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: 'i-0abc' }] }]);
  assert.deepEqual(error, ['ResourceNotFound', 'No metrics in namespace Missing.', 404]);
  assert.equal(lastCall('ListMetrics').region, 'ap-south-1');
});

test("boto3 (Debian's python3-boto3): CloudWatch over AWS Query", async () => {
  const { stdout } = await run('/usr/bin/python3', ['-c', PY_CBOR, main.url]);
  const [proto, metrics, error] = stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(proto.protocol, 'query', "Debian's older botocore speaks Query to CloudWatch");
  assert.deepEqual(metrics, [{ Namespace: 'App', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: 'i-0abc' }] }]);
  assert.deepEqual(error, ['ResourceNotFound', 'No metrics in namespace Missing.', 404]);
});

const cliEnv = { ...process.env, AWS_ACCESS_KEY_ID: CREDS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey, AWS_DEFAULT_REGION: 'us-west-2', AWS_PAGER: '' };

for (const [name, bin] of [['AWS CLI v1 (pip)', 'aws'], ["Debian's AWS CLI v2", '/usr/bin/aws']] as const) {
  test(`${name}: what it prints for an answer and for an error`, async () => {
    const { stdout } = await run(bin, ['elbv2', 'describe-target-groups', '--names', 'web', '--endpoint-url', main.url, '--output', 'json'], { env: cliEnv });
    assert.equal(JSON.parse(stdout).TargetGroups[0].TargetGroupName, 'web');
    const cw = await run(bin, ['cloudwatch', 'list-metrics', '--namespace', 'App', '--endpoint-url', main.url, '--output', 'text'], { env: cliEnv });
    assert.match(cw.stdout, /CPUUtilization/);
    await assert.rejects(run(bin, ['elbv2', 'describe-target-groups', '--names', 'nope', '--endpoint-url', main.url], { env: cliEnv }), (e: Error & { stderr: string }) => {
      assert.match(e.stderr, /An error occurred \(TargetGroupNotFound\) when calling the DescribeTargetGroups operation: One or more target groups not found: 'nope'/);
      return true;
    });
  });
}

function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

async function signed(url: string, body: string, creds = CREDS, headers: Record<string, string> = FORM): Promise<Record<string, string>> {
  const u = new URL(url);
  const signer = new SignatureV4({ credentials: creds, region: 'us-east-1', service: 'elasticloadbalancing', sha256: SHA256 });
  const r = await signer.sign({ method: 'POST', protocol: 'http:', hostname: u.hostname, port: Number(u.port), path: '/', headers: { host: u.host, ...headers }, body });
  return r.headers as Record<string, string>;
}

test('SigV4: a wrong key, a wrong secret, no signature, and a clock 20 minutes off are refused', async () => {
  const body = 'Action=DescribeTargetGroups&Version=2015-12-01';
  const wrongKey = await post(main.url, await signed(main.url, body, { accessKeyId: 'OTHER', secretAccessKey: 'x' }), body);
  assert.equal(wrongKey.status, 403);
  assert.match(wrongKey.text, /<Code>InvalidClientTokenId<\/Code>/);
  const wrongSecret = await post(main.url, await signed(main.url, body, { ...CREDS, secretAccessKey: 'guess' }), body);
  assert.match(wrongSecret.text, /<Code>SignatureDoesNotMatch<\/Code>/);
  const unsigned = await post(main.url, FORM, body);
  assert.equal(unsigned.status, 403);
  assert.match(unsigned.text, /<Code>MissingAuthenticationToken<\/Code>/);
  const skewed = await serve(new ManualClock(Date.now() + 20 * 60_000));
  try {
    const late = await post(skewed.url, await signed(skewed.url, body), body);
    assert.equal(late.status, 403);
    assert.match(late.text, /<Code>RequestExpired<\/Code>/);
  } finally {
    skewed.server.close();
  }
});

test('SigV4: a presigned GET (query-string signature) is accepted', async () => {
  const u = new URL(main.url);
  const signer = new SignatureV4({ credentials: CREDS, region: 'sa-east-1', service: 'elasticloadbalancing', sha256: SHA256 });
  const p = await signer.presign({ method: 'GET', protocol: 'http:', hostname: u.hostname, port: Number(u.port), path: '/', headers: { host: u.host }, query: { Action: 'DescribeTargetGroups', Version: '2015-12-01', 'Names.member.1': 'pre' } }, { expiresIn: 300 });
  const qs = new URLSearchParams(p.query as Record<string, string>).toString();
  const text = await (await fetch(`${main.url}/?${qs}`)).text();
  assert.match(text, /<TargetGroupName>pre<\/TargetGroupName>/);
  assert.equal(lastCall('DescribeTargetGroups').region, 'sa-east-1');
});

test('unsigned calls only when the config allows them', async () => {
  const open = await serve(systemClock, true);
  try {
    const r = await post(open.url, FORM, 'Action=DescribeTargetGroups&Version=2015-12-01&Names.member.1=free');
    assert.equal(r.status, 200);
    assert.match(r.text, /<DescribeTargetGroupsResponse xmlns="http:\/\/elasticloadbalancing.amazonaws.com\/doc\/2015-12-01\/"><DescribeTargetGroupsResult><TargetGroups><member>/);
  } finally {
    open.server.close();
  }
});

test('unknown and unsupported operations, bad values and missing members answer AWS errors', async () => {
  const call = async (body: string) => post(main.url, await signed(main.url, body), body);
  const unsupported = await call('Action=DescribeTrustStores&Version=2015-12-01');
  assert.match(unsupported.text, /<Code>UnsupportedOperation<\/Code><Message>DescribeTrustStores is not supported by shoal/);
  assert.match((await call('Action=Frobnicate&Version=2015-12-01')).text, /<Code>InvalidAction<\/Code>/);
  assert.match((await call('Action=DescribeTargetGroups&Version=1999-01-01')).text, /<Code>NoSuchVersion<\/Code>/);
  const badInt = await call('Action=DescribeTargetGroups&Version=2015-12-01&PageSize=lots');
  assert.match(badInt.text, /<Code>ValidationError<\/Code><Message>Value &apos;lots&apos; at &apos;PageSize&apos;/);
  const range = await call('Action=DescribeTargetGroups&Version=2015-12-01&PageSize=0');
  assert.match(range.text, /1 validation error detected: Value &apos;0&apos; at &apos;pageSize&apos; failed to satisfy constraint: Member must have value greater than or equal to 1/);
  const json = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData' };
  const missing = await post(main.url, await signed(main.url, '{}', CREDS, json), '{}');
  assert.equal(missing.status, 400);
  assert.equal(missing.headers['x-amzn-query-error'], 'ValidationError;Sender');
  assert.match(JSON.parse(missing.text).message, /Value null at 'namespace' failed to satisfy constraint: Member must not be null/);
});

test('a body over the limit is refused with 413, read to its end', async () => {
  const body = `Action=DescribeTargetGroups&Version=2015-12-01&Names.member.1=${'x'.repeat(3 * 1024 * 1024)}`;
  const r = await post(main.url, FORM, body);
  assert.equal(r.status, 413);
  assert.match(r.text, /<Code>RequestEntityTooLarge<\/Code>/);
});
