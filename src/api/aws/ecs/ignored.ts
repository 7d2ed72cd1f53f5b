/**
 * ECS request members shoal has nothing to do with: some are dropped when
 * empty (clients fill them with [] or false, as describe-* output does), the
 * rest answer ClientException naming the member, so a call never silently
 * loses what its caller asked for. docs/containers.md ("The ECS API") lists them.
 */
import { clientError } from './errors.js';

type Obj = Record<string, unknown>;

/** Empty the way clients send what they do not use: [], {}, false, "", or a structure of such. */
export function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.values(v as Obj).every(isEmpty);
  return false;
}

/** Throws ClientException for the first member of `input` outside `known` that is not empty. */
export function refuseOthers(input: Obj, known: ReadonlySet<string>, where: string): void {
  for (const [k, v] of Object.entries(input)) {
    if (!known.has(k) && !isEmpty(v)) {
      throw clientError(`${where}: shoal does not support '${k}'; leave it out (docs/containers.md, "The ECS API", lists what is supported).`);
    }
  }
}
