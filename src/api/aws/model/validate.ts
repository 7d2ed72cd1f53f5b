/**
 * The checks AWS makes of every input before an operation runs, read from
 * the model: required members, string and list lengths, number ranges and
 * enum values. Messages as AWS's services word them ("1 validation error
 * detected: Value null at 'name' failed to satisfy constraint: Member must
 * not be null"), with up to ten violations listed. EC2 words it its own way:
 * MissingParameter / InvalidParameterValue, one at a time.
 */
import { awsError, validation } from '../common/op.js';
import { shapeOf, type ServiceModel, type Shape } from './shapes.js';

const MAX_LISTED = 10;

export function validateInput(model: ServiceModel, shapeName: string, input: Record<string, unknown>, style: 'aws' | 'ec2' = 'aws'): void {
  const found: string[] = [];
  walk(model, shapeOf(model, shapeName), input, '', found);
  if (found.length === 0) return;
  if (style === 'ec2') throw ec2Error(found[0]!);
  const n = found.length;
  throw validation(`${n} validation error${n === 1 ? '' : 's'} detected: ${found.slice(0, MAX_LISTED).join('; ')}`);
}

function walk(model: ServiceModel, shape: Shape, v: unknown, at: string, found: string[]): void {
  switch (shape.type) {
    case 'structure': {
      const o = v as Record<string, unknown>;
      for (const name of shape.required ?? []) {
        if (o[name] === undefined || o[name] === null) found.push(`Value null at '${path(at, name)}' failed to satisfy constraint: Member must not be null`);
      }
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        if (o[name] !== undefined && o[name] !== null) walk(model, shapeOf(model, ref.shape), o[name], path(at, name), found);
      }
      return;
    }
    case 'list': {
      const items = v as unknown[];
      bounds(shape, items.length, at, found, 'length');
      items.forEach((x, i) => walk(model, shapeOf(model, shape.member!.shape), x, `${at}.${i + 1}.member`, found));
      return;
    }
    case 'map': {
      const entries = Object.entries(v as Record<string, unknown>);
      bounds(shape, entries.length, at, found, 'length');
      for (const [k, x] of entries) walk(model, shapeOf(model, shape.value!.shape), x, `${at}.${k}`, found);
      return;
    }
    case 'string': {
      const s = v as string;
      bounds(shape, s.length, at, found, 'length', s);
      if (shape.enum !== undefined && !shape.enum.includes(s)) {
        found.push(`Value '${clip(s)}' at '${at}' failed to satisfy constraint: Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      }
      return;
    }
    case 'integer':
    case 'long':
    case 'double':
    case 'float':
      bounds(shape, v as number, at, found, 'value', String(v));
      return;
    default:
  }
}

function ec2Error(violation: string): Error {
  const m = /^Value null at '([^']+)'/.exec(violation);
  if (m) return awsError('MissingParameter', `The request must contain the parameter ${m[1]!.split('.').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('.')}`);
  return awsError('InvalidParameterValue', violation);
}

function bounds(shape: Shape, n: number, at: string, found: string[], what: 'length' | 'value', shown?: string): void {
  const value = shown === undefined ? '' : `'${clip(shown)}' `;
  if (shape.min !== undefined && n < shape.min) {
    found.push(`Value ${value}at '${at}' failed to satisfy constraint: Member must have ${what} greater than or equal to ${shape.min}`);
  } else if (shape.max !== undefined && n > shape.max) {
    found.push(`Value ${value}at '${at}' failed to satisfy constraint: Member must have ${what} less than or equal to ${shape.max}`);
  }
}

function path(at: string, name: string): string {
  const lower = name.charAt(0).toLowerCase() + name.slice(1);
  return at === '' ? lower : `${at}.${lower}`;
}

function clip(s: string): string {
  return s.length > 100 ? `${s.slice(0, 100)}...` : s;
}
