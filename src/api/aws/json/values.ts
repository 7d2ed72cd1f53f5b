/**
 * JSON 1.0 and 1.1 and RPC v2 CBOR carry the operation's members by name; what
 * differs from the operation's objects is only how timestamps and blobs
 * travel. These walks convert along the model's shapes: timestamps arrive as
 * epoch seconds (JSON numbers, CBOR tag 1 or plain numbers) or ISO strings
 * and leave as epoch seconds; blobs are base64 in JSON, byte strings in CBOR.
 */
import { awsError } from '../common/op.js';
import { shapeOf, type ServiceModel, type Shape } from '../model/shapes.js';

export type Wire = 'json' | 'cbor';

export function fromWire(model: ServiceModel, shapeName: string, v: unknown, wire: Wire): unknown {
  return inbound(model, shapeOf(model, shapeName), v, wire, shapeName);
}

export function toWire(model: ServiceModel, shapeName: string, v: unknown, wire: Wire): unknown {
  return outbound(model, shapeOf(model, shapeName), v, wire);
}

function inbound(model: ServiceModel, shape: Shape, v: unknown, wire: Wire, at: string): unknown {
  if (v === null || v === undefined) return undefined;
  switch (shape.type) {
    case 'structure': {
      if (typeof v !== 'object' || Array.isArray(v)) throw invalid(at, 'a structure');
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const x = (v as Record<string, unknown>)[name];
        if (x !== undefined && x !== null) out[name] = inbound(model, shapeOf(model, ref.shape), x, wire, `${at}.${name}`);
      }
      return out;
    }
    case 'list':
      if (!Array.isArray(v)) throw invalid(at, 'a list');
      return v.map((x, i) => inbound(model, shapeOf(model, shape.member!.shape), x, wire, `${at}[${i}]`));
    case 'map': {
      if (typeof v !== 'object') throw invalid(at, 'a map');
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = inbound(model, shapeOf(model, shape.value!.shape), x, wire, `${at}.${k}`);
      return out;
    }
    case 'timestamp': {
      const d = v instanceof Date ? v : typeof v === 'number' ? new Date(v * 1000) : typeof v === 'string' ? new Date(/^\d+(\.\d+)?$/.test(v) ? Number(v) * 1000 : v) : null;
      if (d === null || Number.isNaN(d.getTime())) throw invalid(at, 'a timestamp');
      return d;
    }
    case 'blob':
      return typeof v === 'string' ? Buffer.from(v, 'base64') : v instanceof Uint8Array ? Buffer.from(v) : v;
    case 'boolean':
      if (typeof v !== 'boolean') throw invalid(at, 'a boolean');
      return v;
    case 'integer':
    case 'long':
      if (typeof v !== 'number' && typeof v !== 'bigint') throw invalid(at, 'an integer');
      return Number(v);
    case 'double':
    case 'float':
      if (typeof v !== 'number') throw invalid(at, 'a number');
      return v;
    default:
      if (typeof v !== 'string') throw invalid(at, 'a string');
      return v;
  }
}

function outbound(model: ServiceModel, shape: Shape, v: unknown, wire: Wire): unknown {
  if (v === null || v === undefined) return undefined;
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const x = outbound(model, shapeOf(model, ref.shape), (v as Record<string, unknown>)[name], wire);
        if (x !== undefined) out[name] = x;
      }
      return out;
    }
    case 'list':
      return (v as unknown[]).map((x) => outbound(model, shapeOf(model, shape.member!.shape), x, wire));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = outbound(model, shapeOf(model, shape.value!.shape), x, wire);
      return out;
    }
    case 'timestamp': {
      const ms = (v instanceof Date ? v : new Date(v as string | number)).getTime();
      return wire === 'cbor' ? new Date(ms) : ms / 1000; // the CBOR encoder writes a Date as tag 1 epoch seconds
    }
    case 'blob': {
      const b = Buffer.isBuffer(v) ? v : Buffer.from(String(v));
      return wire === 'json' ? b.toString('base64') : new Uint8Array(b);
    }
    default:
      return v;
  }
}

function invalid(at: string, what: string): Error {
  return awsError('ValidationError', `Value at '${at}' failed to satisfy constraint: Member must be ${what}`);
}
