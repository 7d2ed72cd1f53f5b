/**
 * The AWS-compatible endpoint: one request in, one AWS-shaped answer out.
 * Detects the service and protocol (detect.ts), verifies SigV4 against the
 * configured credentials (unsigned only when the config allows it), decodes
 * the input along the model, validates it (model/validate.ts), runs the
 * operation and encodes its output or error (codec.ts). Operations listed
 * in AWS's model that shoal does not implement answer UnsupportedOperation;
 * names the service does not have answer InvalidAction.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../../core/clock.js';
import { ShoalError, errorMessage } from '../../../core/errors.js';
import type { Logger } from '../../../core/log.js';
import { awsError, type Operations } from '../common/op.js';
import { MODELS, type ServiceName } from '../model/shapes.js';
import { validateInput } from '../model/validate.js';
import { isSigned, signingService, verifySigV4, type Credentials } from '../sigv4/verify.js';
import { decodeInput, encodeError, encodeOutput, type Encoded } from './codec.js';
import { detect, type Call, type Protocol, type WireRequest } from './detect.js';

/** CloudWatch's PutMetricData takes up to 1 MB; nothing else comes close. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

export interface AwsEndpointOptions {
  services: Partial<Record<ServiceName, Operations>>;
  /** The config's api.credentials, read at each call (a reload may change them). */
  credentials(): readonly Credentials[];
  /** api.allowUnsigned: unsigned requests are served as the first credential. */
  allowUnsigned(): boolean;
  clock: Clock;
  log: Logger;
  /** The region unsigned calls are answered in. */
  defaultRegion?: string;
}

export class AwsEndpoint {
  constructor(private readonly o: AwsEndpointOptions) {}

  /** Is this request meant for the AWS endpoint (rather than the console)? */
  static wants(req: IncomingMessage, path: string): boolean {
    if (path.startsWith('/_shoal/') || path === '/login') return false; // /login: the console's form
    if (req.method === 'POST') return true;
    return req.method === 'GET' && /[?&]Action=/.test(req.url ?? '');
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    let protocol: Protocol = 'query';
    let service: ServiceName | undefined;
    try {
      const wire = await readWire(req);
      const call = detect(wire, signingService(wire));
      if (call === null) throw awsError('MissingAction', 'The request names no Action (and is not an RPC call): shoal answers the AWS Query, EC2, JSON 1.0 and 1.1 and RPC v2 CBOR protocols here.');
      ({ protocol, service } = call);
      const signed = isSigned(wire);
      if (!signed && !this.o.allowUnsigned()) {
        throw new ShoalError('MissingAuthenticationToken', 'Request is missing Authentication Token (sign it with one of api.credentials, or set api.allowUnsigned: true).', 403);
      }
      const verified = signed ? verifySigV4(wire, this.o.credentials(), this.o.clock.now()) : undefined;
      const ctx = { requestId, region: verified?.region ?? this.o.defaultRegion ?? 'us-east-1', accessKeyId: verified?.accessKeyId ?? this.o.credentials()[0]?.accessKeyId ?? '' };
      const out = await this.run(call, wire.body, ctx);
      send(res, out);
    } catch (err) {
      send(res, this.failure(err, protocol, service, requestId));
    }
  }

  private async run(call: Call, body: Buffer, ctx: { requestId: string; region: string; accessKeyId: string }): Promise<Encoded> {
    const model = MODELS[call.service];
    const op = this.o.services[call.service]?.[call.operation];
    if (op === undefined || model.operations[call.operation] === undefined) {
      if (model.allOperations.includes(call.operation)) {
        throw awsError('UnsupportedOperation', `${call.operation} is not supported by shoal (docs/aws-api.md lists what is).`);
      }
      throw call.protocol === 'json' || call.protocol === 'cbor'
        ? awsError('UnknownOperationException', `${call.operation} is not an operation of ${model.metadata.serviceId}.`)
        : awsError('InvalidAction', `The action ${call.operation.slice(0, 100)} is not valid for this web service.`);
    }
    const input = decodeInput(model, call, body);
    const shape = model.operations[call.operation]!.input?.shape;
    if (shape !== undefined) validateInput(model, shape, input, call.protocol === 'ec2' ? 'ec2' : 'aws');
    return encodeOutput(model, call, await op(input, ctx), ctx.requestId);
  }

  private failure(err: unknown, protocol: Protocol, service: ServiceName | undefined, requestId: string): Encoded {
    const model = service === undefined ? undefined : MODELS[service];
    if (err instanceof ShoalError) return encodeError(model, protocol, { code: err.code, message: err.message, status: statusOf(err) }, requestId);
    this.o.log.error({ err: errorMessage(err), requestId }, 'AWS API call failed');
    return encodeError(model, protocol, { code: 'InternalFailure', message: `shoal failed on this request (${requestId}); see its log.`, status: 500 }, requestId);
  }
}

/** Not-found and conflict codes keep AWS's 400 on the query protocols; statuses from operations stand. */
function statusOf(err: ShoalError): number {
  return err.status >= 400 && err.status < 600 ? err.status : 400;
}

async function readWire(req: IncomingMessage): Promise<WireRequest> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? [] : [...new URLSearchParams(url.slice(q + 1))];
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
  return { method: req.method ?? 'GET', path, query, headers, body: await readBody(req) };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      const over = size > MAX_BODY_BYTES;
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
      else if (!over) {
        chunks.length = 0; // the rest is read and dropped; the answer is 413
        reject(tooLarge());
      }
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function tooLarge(): ShoalError {
  return new ShoalError('RequestEntityTooLarge', `The request body is larger than ${MAX_BODY_BYTES} bytes.`, 413);
}

function send(res: ServerResponse, e: Encoded): void {
  if (res.headersSent) return;
  res.writeHead(e.status, { ...e.headers, 'content-length': e.body.length, ...(e.status === 413 ? { connection: 'close' } : {}) });
  res.end(e.body);
}
