/**
 * Query-protocol input: flat form parameters ("Names.member.1=a",
 * "Tags.member.1.Key=k") into the operation's input object, keyed by the
 * model's member names, typed by its shapes. The naming rules differ between
 * AWS Query (elbv2, autoscaling, cloudwatch) and EC2 Query; both are the
 * inverse of botocore's QuerySerializer / EC2Serializer.
 */
import { awsError } from '../common/op.js';
import { shapeOf, type MemberRef, type ServiceModel, type Shape } from '../model/shapes.js';

export interface QueryDialect {
  /** The wire name of a structure member. */
  memberName(name: string, ref: MemberRef): string;
  /** The prefix of a list's items (followed by ".N"). */
  listItems(prefix: string, shape: Shape, ref: MemberRef | undefined): string;
  /** Map entries: prefix of entry N, and the key/value names. */
  mapEntry(prefix: string, shape: Shape, n: number): { key: string; value: string };
}

export const AWS_QUERY: QueryDialect = {
  memberName: (name, ref) => ref.locationName ?? name,
  listItems(prefix, shape, ref) {
    if (shape.flattened || ref?.flattened) {
      const name = shape.member?.locationName;
      return name ? [...prefix.split('.').slice(0, -1), name].join('.') : prefix;
    }
    return `${prefix}.${shape.member?.locationName ?? 'member'}`;
  },
  mapEntry(prefix, shape, n) {
    const entry = shape.flattened ? `${prefix}.${n}` : `${prefix}.entry.${n}`;
    return { key: `${entry}.${shape.key?.locationName ?? 'key'}`, value: `${entry}.${shape.value?.locationName ?? 'value'}` };
  },
};

export const EC2_QUERY: QueryDialect = {
  memberName: (name, ref) => ref.queryName ?? (ref.locationName ? ref.locationName[0]!.toUpperCase() + ref.locationName.slice(1) : name),
  listItems: (prefix) => prefix, // EC2 lists are always flattened: Name.1, Name.2
  mapEntry: (prefix, shape, n) => ({ key: `${prefix}.${n}.${shape.key?.locationName ?? 'key'}`, value: `${prefix}.${n}.${shape.value?.locationName ?? 'value'}` }),
};

type Params = ReadonlyMap<string, string>;

export function parseParams(model: ServiceModel, shapeName: string, params: Params, dialect: QueryDialect): Record<string, unknown> {
  const shape = shapeOf(model, shapeName);
  return (readStructure(model, shape, '', params, dialect) ?? {}) as Record<string, unknown>;
}

function read(model: ServiceModel, ref: MemberRef, prefix: string, params: Params, d: QueryDialect): unknown {
  const shape = shapeOf(model, ref.shape);
  switch (shape.type) {
    case 'structure': return readStructure(model, shape, prefix, params, d);
    case 'list': return readList(model, shape, ref, prefix, params, d);
    case 'map': return readMap(model, shape, prefix, params, d);
    default: {
      const raw = params.get(prefix);
      return raw === undefined ? undefined : scalar(shape, raw, prefix);
    }
  }
}

function readStructure(model: ServiceModel, shape: Shape, prefix: string, params: Params, d: QueryDialect): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  let any = false;
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const key = prefix === '' ? d.memberName(name, ref) : `${prefix}.${d.memberName(name, ref)}`;
    const v = read(model, ref, key, params, d);
    if (v !== undefined) {
      out[name] = v;
      any = true;
    }
  }
  return any || prefix === '' ? out : undefined;
}

function readList(model: ServiceModel, shape: Shape, ref: MemberRef, prefix: string, params: Params, d: QueryDialect): unknown[] | undefined {
  // An empty list is sent as "Name=" (botocore) or not at all.
  if (params.get(prefix) === '') return [];
  const items = d.listItems(prefix, shape, ref);
  const out: unknown[] = [];
  for (let n = 1; ; n++) {
    const v = read(model, shape.member!, `${items}.${n}`, params, d);
    if (v === undefined) break;
    out.push(v);
  }
  return out.length > 0 ? out : undefined;
}

function readMap(model: ServiceModel, shape: Shape, prefix: string, params: Params, d: QueryDialect): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  let any = false;
  for (let n = 1; ; n++) {
    const e = d.mapEntry(prefix, shape, n);
    const key = params.get(e.key);
    if (key === undefined) break;
    out[key] = read(model, shape.value!, e.value, params, d);
    any = true;
  }
  return any ? out : undefined;
}

function scalar(shape: Shape, raw: string, name: string): unknown {
  switch (shape.type) {
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw invalid(name, raw, 'a boolean (true or false)');
      return raw === 'true';
    case 'integer':
    case 'long': {
      if (!/^-?\d+$/.test(raw)) throw invalid(name, raw, 'an integer');
      return Number(raw);
    }
    case 'double':
    case 'float': {
      const n = Number(raw);
      if (raw.trim() === '' || Number.isNaN(n)) throw invalid(name, raw, 'a number');
      return n;
    }
    case 'timestamp': {
      const t = /^\d+(\.\d+)?$/.test(raw) ? new Date(Number(raw) * 1000) : new Date(raw);
      if (Number.isNaN(t.getTime())) throw invalid(name, raw, 'a timestamp (ISO 8601)');
      return t;
    }
    case 'blob':
      return Buffer.from(raw, 'base64');
    default:
      return raw;
  }
}

function invalid(name: string, raw: string, what: string): Error {
  return awsError('ValidationError', `Value '${raw.slice(0, 100)}' at '${name}' failed to satisfy constraint: Member must be ${what}`);
}
