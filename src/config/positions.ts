/**
 * Maps a field path (["loadBalancers", 0, "listeners", 0, "port"]) to the line
 * and column of its YAML node. When the field is missing, the nearest node
 * that exists (its parent map, usually) stands in.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter } from 'yaml';

export interface Position {
  line: number;
  column: number;
  /** True when the whole path was found; false when a parent stands in. */
  exact: boolean;
}

interface Ranged {
  range?: [number, number, number] | null;
}

export function locate(doc: Document, lines: LineCounter, path: readonly (string | number)[], atKey = false): Position {
  let node: unknown = doc.contents;
  let found: Ranged | undefined = ranged(node);
  let exact = true;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (isAlias(node)) node = node.resolve(doc);
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(seg));
      if (pair) next = atKey && i === path.length - 1 ? pair.key : pair.value ?? pair.key;
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg];
    }
    if (next === undefined || next === null) {
      exact = false;
      break;
    }
    node = next;
    found = ranged(node) ?? found;
  }
  const offset = found?.range?.[0] ?? 0;
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col, exact };
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

function ranged(node: unknown): Ranged | undefined {
  const r = (node as Ranged | null | undefined)?.range;
  return r ? (node as Ranged) : undefined;
}
