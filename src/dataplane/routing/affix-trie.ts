/**
 * A character trie of literal affixes for the rule index: forward for
 * prefixes (text before a pattern's first wildcard), reversed for suffixes
 * (after its last). Walking a request's host or path collects the rule lists
 * of every node passed, i.e. of every filed key that is a prefix (suffix) of
 * it. Keys are folded (ASCII) when the condition is case-insensitive.
 */

/** Rule lists to merge for one request; arrays reused across requests. */
export interface Candidates {
  lists: number[][];
  n: number;
}

export function pushList(out: Candidates, list: number[]): void {
  out.lists[out.n++] = list;
}

/**
 * Most nodes have one child (keys share long runs like '.example.com'), so a
 * node keeps its first child inline; further ASCII children go in a 128-slot
 * array (faster than a Map per character), anything else in a Map.
 */
class TrieNode {
  char = -1;
  child: TrieNode | null = null;
  ascii: Array<TrieNode | undefined> | null = null;
  other: Map<number, TrieNode> | null = null;
  /** Rules whose key is a prefix (suffix) of the input. */
  rules: number[] | null = null;
  /** Rules whose key must be the whole input (a value with no wildcard). */
  whole: number[] | null = null;

  get(c: number): TrieNode | undefined {
    if (c === this.char) return this.child!;
    if (c < 128) return this.ascii === null ? undefined : this.ascii[c];
    return this.other === null ? undefined : this.other.get(c);
  }

  add(c: number): TrieNode {
    const found = this.get(c);
    if (found) return found;
    const node = new TrieNode();
    if (this.child === null) {
      this.char = c;
      this.child = node;
    } else if (c < 128) {
      (this.ascii ??= new Array<TrieNode | undefined>(128).fill(undefined))[c] = node;
    } else {
      (this.other ??= new Map()).set(c, node);
    }
    return node;
  }
}

function fold(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

export class AffixTrie {
  private readonly root = new TrieNode();
  entries = 0;

  constructor(
    private readonly reverse: boolean,
    private readonly ci: boolean,
  ) {}

  /**
   * Files rule under key (already folded when ci); `whole` when the pattern has
   * no wildcard, so it is offered only for an input equal to key. Rules must
   * arrive in priority order.
   */
  insert(key: string, rule: number, whole = false): void {
    let node = this.root;
    for (let i = 0; i < key.length; i++) node = node.add(key.charCodeAt(this.reverse ? key.length - 1 - i : i));
    const rules = whole ? (node.whole ??= []) : (node.rules ??= []);
    // Arrival order keeps the list sorted; one rule may file the same key twice (two equal values).
    if (rules[rules.length - 1] !== rule) rules.push(rule);
    this.entries++;
  }

  /** Pushes the lists of the nodes along s[from..to) (from the end when reversed). Must not allocate. */
  collect(s: string, from: number, to: number, out: Candidates): void {
    if (this.entries === 0) return;
    let node: TrieNode | undefined = this.root;
    const step = this.reverse ? -1 : 1;
    let i = this.reverse ? to - 1 : from;
    for (let left = to - from; left > 0; left--, i += step) {
      if (node.child === null) return; // leaf: no longer key, and the input goes on, so no whole match
      const c = s.charCodeAt(i);
      node = node.get(this.ci ? fold(c) : c);
      if (node === undefined) return;
      if (node.rules !== null) pushList(out, node.rules);
    }
    if (node.whole !== null) pushList(out, node.whole);
  }
}

/** Exact keys (http-request-method): one list per key. */
export class ExactBucket {
  private readonly map = new Map<string, number[]>();
  entries = 0;

  insert(key: string, rule: number): void {
    let rules = this.map.get(key);
    if (!rules) this.map.set(key, (rules = []));
    if (rules[rules.length - 1] !== rule) rules.push(rule);
    this.entries++;
  }

  collect(key: string, out: Candidates): void {
    if (this.entries === 0) return;
    const rules = this.map.get(key);
    if (rules !== undefined) pushList(out, rules);
  }
}
