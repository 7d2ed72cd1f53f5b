/**
 * Which service, operation and wire protocol a request speaks, from what the
 * clients send:
 *   POST /service/GraniteServiceVersion20100801/operation/Op
 *        + smithy-protocol: rpc-v2-cbor                    -> CloudWatch, RPC v2 CBOR (boto3)
 *   X-Amz-Target: GraniteServiceVersion20100801.Op          -> CloudWatch, JSON 1.0 (SDK for JavaScript v3)
 *   X-Amz-Target: AmazonEC2ContainerServiceV20141113.Op     -> ECS, JSON 1.1 (every client)
 *   Action=Op&Version=V (form body or query string)         -> by Version: AWS Query, or EC2 Query for 2016-11-15
 * A request that is none of these is the caller's to refuse.
 */
import { awsError } from '../common/op.js';
import { MODELS, type ServiceName } from '../model/shapes.js';

export type Protocol = 'query' | 'ec2' | 'json' | 'cbor';

export interface Call {
  service: ServiceName;
  protocol: Protocol;
  operation: string;
  /** Query protocols: the form and query-string parameters. */
  params?: Map<string, string>;
}

export interface WireRequest {
  method: string;
  path: string;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  body: Buffer;
}

const SIGNING_NAMES: Record<string, ServiceName> = { elasticloadbalancing: 'elbv2', autoscaling: 'autoscaling', ec2: 'ec2', monitoring: 'cloudwatch' };
const CBOR_PATH = /^\/service\/([^/]+)\/operation\/([^/]+)$/;

const SERVICES = Object.entries(MODELS) as Array<[ServiceName, (typeof MODELS)[ServiceName]]>;
const speaks = (m: (typeof MODELS)[ServiceName], p: string) => m.metadata.protocol === p || (m.metadata.protocols ?? []).includes(p);
/** The JSON services by their X-Amz-Target prefix (the model's targetPrefix). */
const TARGET_PREFIXES = new Map(SERVICES.filter(([, m]) => m.metadata.targetPrefix !== undefined).map(([n, m]) => [m.metadata.targetPrefix!, n]));
/** The query services by their Version. */
const VERSIONS = new Map(SERVICES.filter(([, m]) => speaks(m, 'query') || speaks(m, 'ec2')).map(([n, m]) => [m.metadata.apiVersion, n]));

/** What the call is, or null when the request is not an AWS call at all. Throws for a malformed one. */
export function detect(r: WireRequest, signingService: string | undefined): Call | null {
  const cbor = CBOR_PATH.exec(r.path);
  if (cbor !== null && r.method === 'POST') {
    const service = TARGET_PREFIXES.get(cbor[1]!);
    if (service !== undefined && !speaks(MODELS[service], 'smithy-rpc-v2-cbor')) throw awsError('UnknownOperationException', `${cbor[1]} does not speak RPC v2 CBOR; send JSON with X-Amz-Target.`, 404);
    if (service === undefined) throw awsError('UnknownOperationException', `No service '${cbor[1]}' here.`, 404);
    if (r.headers['smithy-protocol'] !== 'rpc-v2-cbor') throw awsError('ValidationError', 'RPC v2 requests need the header "smithy-protocol: rpc-v2-cbor".');
    return { service, protocol: 'cbor', operation: cbor[2]! };
  }
  const target = r.headers['x-amz-target'];
  if (target !== undefined && r.method === 'POST') {
    const dot = target.lastIndexOf('.');
    const service = TARGET_PREFIXES.get(target.slice(0, dot));
    if (dot < 0 || service === undefined) throw awsError('UnknownOperationException', `Unknown X-Amz-Target '${target.slice(0, 100)}'.`);
    return { service, protocol: 'json', operation: target.slice(dot + 1) };
  }
  const params = queryParams(r);
  const action = params.get('Action');
  if (action === undefined) return null;
  const version = params.get('Version');
  const service = version !== undefined ? VERSIONS.get(version) : signingService !== undefined ? SIGNING_NAMES[signingService] : undefined;
  if (service === undefined) {
    throw awsError(version === undefined ? 'MissingParameter' : 'NoSuchVersion',
      version === undefined ? 'The request must contain the parameter Version.' : `Version ${version.slice(0, 40)} is not one shoal speaks (elbv2 2015-12-01, autoscaling 2011-01-01, ec2 2016-11-15, cloudwatch 2010-08-01).`);
  }
  return { service, protocol: service === 'ec2' ? 'ec2' : 'query', operation: action, params };
}

/** The query string, then a form body (POST application/x-www-form-urlencoded), as one map. */
function queryParams(r: WireRequest): Map<string, string> {
  const out = new Map(r.query);
  const type = (r.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (r.method === 'POST' && type === 'application/x-www-form-urlencoded') {
    for (const [k, v] of new URLSearchParams(r.body.toString('utf8'))) out.set(k, v);
  }
  return out;
}
