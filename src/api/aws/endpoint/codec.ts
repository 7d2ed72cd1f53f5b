/**
 * A call's input from the wire and its output or error back onto it, per
 * protocol, along the operation's shapes in AWS's model. Errors are shaped
 * so the clients parse a clean code and message:
 *   query  <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>
 *   ec2    <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>
 *   json   {"__type": "...#Shape", "message"}, as application/x-amz-json-1.0 or 1.1 (the model's
 *          jsonVersion); services that keep their query codes (awsQueryCompatible: CloudWatch)
 *          add x-amzn-query-error: Code;Sender, the others say ValidationException for
 *          the input checks the query services call ValidationError
 *   cbor   the same map in CBOR, with smithy-protocol: rpc-v2-cbor
 */
import { decode, encode } from 'cbor2';
import { awsError, type Output } from '../common/op.js';
import { fromWire, toWire } from '../json/values.js';
import type { ServiceModel } from '../model/shapes.js';
import { ec2Error, ec2Response, queryError, queryResponse } from '../query/envelope.js';
import { AWS_QUERY, EC2_QUERY, parseParams } from '../query/params.js';
import { toXml } from '../query/xml.js';
import type { Call, Protocol } from './detect.js';

export interface Encoded {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export function decodeInput(model: ServiceModel, call: Call, body: Buffer): Record<string, unknown> {
  const shape = model.operations[call.operation]?.input?.shape;
  if (call.protocol === 'query' || call.protocol === 'ec2') {
    return shape === undefined ? {} : parseParams(model, shape, call.params!, call.protocol === 'ec2' ? EC2_QUERY : AWS_QUERY);
  }
  const raw = body.length === 0 ? {} : call.protocol === 'json' ? parseJson(body) : parseCbor(body);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw awsError('SerializationException', 'The request body must be an object.');
  return shape === undefined ? {} : (fromWire(model, shape, raw, call.protocol) as Record<string, unknown>);
}

export function encodeOutput(model: ServiceModel, call: Call, out: Output, requestId: string): Encoded {
  const op = model.operations[call.operation]!;
  const shape = op.output?.shape;
  const ns = model.metadata.xmlNamespace ?? '';
  switch (call.protocol) {
    case 'query': {
      const body = shape === undefined ? '' : toXml(model, shape, out, 'query');
      return xml(200, queryResponse(call.operation, ns, shape === undefined ? undefined : op.output!.resultWrapper ?? `${call.operation}Result`, body, requestId), requestId);
    }
    case 'ec2':
      return xml(200, ec2Response(call.operation, ns, shape === undefined ? '' : toXml(model, shape, out, 'ec2'), requestId), requestId);
    case 'json':
      return json(200, shape === undefined ? {} : toWire(model, shape, out, 'json'), requestId, model);
    case 'cbor':
      return cbor(200, shape === undefined ? {} : toWire(model, shape, out, 'cbor'), requestId);
  }
}

export interface WireError {
  code: string;
  message: string;
  status: number;
}

export function encodeError(model: ServiceModel | undefined, protocol: Protocol, e: WireError, requestId: string): Encoded {
  const sender = e.status < 500;
  switch (protocol) {
    case 'query':
      return xml(e.status, queryError(model?.metadata.xmlNamespace ?? 'https://shoal.invalid/doc/', e.code, e.message, requestId, sender), requestId);
    case 'ec2':
      return xml(e.status, ec2Error(e.code, e.message, requestId), requestId);
    case 'json':
    case 'cbor': {
      const queryCodes = model === undefined || model.metadata.awsQueryCompatible !== undefined;
      const code = !queryCodes && e.code === 'ValidationError' ? 'ValidationException' : e.code;
      const shape = model === undefined ? code : errorShape(model, code);
      const body = { __type: `com.amazonaws.${model?.metadata.endpointPrefix ?? 'shoal'}#${shape}`, message: e.message };
      const headers: Record<string, string> = queryCodes ? { 'x-amzn-query-error': `${code};${sender ? 'Sender' : 'Receiver'}` } : {};
      const out = protocol === 'json' ? json(e.status, body, requestId, model) : cbor(e.status, body, requestId);
      return { ...out, headers: { ...out.headers, ...headers } };
    }
  }
}

/** The model's shape for an error code (shapes with error.code name their code), else the code itself. */
function errorShape(model: ServiceModel, code: string): string {
  for (const [name, s] of Object.entries(model.shapes)) {
    if (s.exception && (s.error?.code ?? name) === code) return name;
  }
  return code;
}

function xml(status: number, text: string, requestId: string): Encoded {
  return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: Buffer.from(text) };
}

function json(status: number, value: unknown, requestId: string, model: ServiceModel | undefined): Encoded {
  const type = `application/x-amz-json-${model?.metadata.jsonVersion ?? '1.0'}`;
  return { status, headers: { 'content-type': type, 'x-amzn-requestid': requestId }, body: Buffer.from(JSON.stringify(value)) };
}

function cbor(status: number, value: unknown, requestId: string): Encoded {
  return {
    status,
    headers: { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor', 'x-amzn-requestid': requestId },
    body: Buffer.from(encode(value)),
  };
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw awsError('SerializationException', 'The request body is not valid JSON.');
  }
}

function parseCbor(body: Buffer): unknown {
  try {
    return decode(new Uint8Array(body));
  } catch {
    throw awsError('SerializationException', 'The request body is not valid CBOR.');
  }
}
