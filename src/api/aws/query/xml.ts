/**
 * Query-protocol output: the operation's output object as XML, shaped by the
 * model. AWS Query (elbv2, autoscaling, cloudwatch): members by locationName
 * or name, lists as <member> (or flattened), maps as <entry><key/><value/>.
 * EC2: members by locationName (lowerCamel in EC2's model), lists as <item>.
 * Timestamps ISO 8601, booleans true/false, blobs base64, text escaped.
 */
import { shapeOf, type MemberRef, type ServiceModel, type Shape } from '../model/shapes.js';

export type XmlDialect = 'query' | 'ec2';

export function toXml(model: ServiceModel, shapeName: string, value: Record<string, unknown>, dialect: XmlDialect): string {
  return members(model, shapeOf(model, shapeName), value, dialect);
}

function members(model: ServiceModel, shape: Shape, value: Record<string, unknown>, d: XmlDialect): string {
  let out = '';
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const v = value[name];
    if (v === undefined || v === null) continue;
    out += element(model, ref, ref.locationName ?? name, v, d);
  }
  return out;
}

function element(model: ServiceModel, ref: MemberRef, tag: string, v: unknown, d: XmlDialect): string {
  const shape = shapeOf(model, ref.shape);
  switch (shape.type) {
    case 'structure':
      return `<${tag}>${members(model, shape, v as Record<string, unknown>, d)}</${tag}>`;
    case 'list': {
      const items = v as unknown[];
      const m = shape.member!;
      if ((shape.flattened || ref.flattened) && d === 'query') return items.map((x) => element(model, m, m.locationName ?? tag, x, d)).join('');
      const itemTag = m.locationName ?? (d === 'ec2' ? 'item' : 'member');
      return `<${tag}>${items.map((x) => element(model, m, itemTag, x, d)).join('')}</${tag}>`;
    }
    case 'map': {
      const k = shape.key?.locationName ?? 'key';
      const vt = shape.value?.locationName ?? 'value';
      const entries = Object.entries(v as Record<string, unknown>)
        .map(([key, x]) => `<entry><${k}>${escapeXml(key)}</${k}>${element(model, shape.value!, vt, x, d)}</entry>`).join('');
      return `<${tag}>${entries}</${tag}>`;
    }
    default:
      return `<${tag}>${escapeXml(scalarText(shape, v))}</${tag}>`;
  }
}

function scalarText(shape: Shape, v: unknown): string {
  if (shape.type === 'timestamp') return (v instanceof Date ? v : new Date(v as string | number)).toISOString();
  if (shape.type === 'blob') return Buffer.isBuffer(v) ? v.toString('base64') : Buffer.from(String(v)).toString('base64');
  return String(v);
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"'\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' })[c]!);
}
