/**
 * The rule index: lets a router with 1,000 rules evaluate only the rules that
 * could match a request instead of all of them.
 *
 * Every wildcard pattern has a literal prefix (text before its first wildcard)
 * and a literal suffix (after its last one); any string it matches starts with
 * the one and ends with the other. Each rule is filed under the longer affix
 * of every value of ONE of its host-header or path-pattern conditions, in a
 * character trie (forward for prefixes, reversed for suffixes). A request
 * walks the tries along its host and path, and collects the rule lists of the
 * nodes it passes: a superset of the rules whose indexed condition can match.
 * Rules with neither condition indexable (no literal text, e.g. `*`, or only
 * header/method/query/ip conditions) sit in an `always` list.
 *
 * Each list is in priority order; the router merges them and evaluates the
 * full rule, so the index only ever skips rules that cannot match.
 */
import type { Condition } from '../../model/load-balancer.js';
import type { CompiledRule } from './conditions.js';
import type { RequestState } from './request-state.js';
import { literalAffixes, type WildcardOptions } from './wildcard.js';

/** Rule lists to merge for one request; arrays reused across requests. */
export interface Candidates {
  lists: number[][];
  n: number;
}

function push(out: Candidates, list: number[]): void {
  out.lists[out.n++] = list;
}

class TrieNode {
  children: Map<number, TrieNode> | null = null;
  rules: number[] | null = null;
}

function fold(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** Keys are stored folded when `ci`; a reverse trie stores keys last char first. */
export class AffixTrie {
  private readonly root = new TrieNode();
  entries = 0;

  constructor(
    private readonly reverse: boolean,
    private readonly ci: boolean,
  ) {}

  insert(key: string, rule: number): void {
    let node = this.root;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(this.reverse ? key.length - 1 - i : i);
      node.children ??= new Map();
      let next = node.children.get(c);
      if (!next) {
        next = new TrieNode();
        node.children.set(c, next);
      }
      node = next;
    }
    const rules = (node.rules ??= []);
    // Rules arrive in priority order, so the list stays sorted; one rule may file the same key twice.
    if (rules[rules.length - 1] !== rule) rules.push(rule);
    this.entries++;
  }

  /** Pushes the lists of the nodes along s[from..to) (from the end when reversed). Must not allocate. */
  collect(s: string, from: number, to: number, out: Candidates): void {
    let node: TrieNode | undefined = this.root;
    const step = this.reverse ? -1 : 1;
    let i = this.reverse ? to - 1 : from;
    for (let left = to - from; left > 0; left--, i += step) {
      const kids: Map<number, TrieNode> | null = node.children;
      if (kids === null) return;
      const c = s.charCodeAt(i);
      node = kids.get(this.ci ? fold(c) : c);
      if (node === undefined) return;
      if (node.rules !== null) push(out, node.rules);
    }
  }
}

interface Filing {
  trie: AffixTrie;
  key: string;
}

const HOST: WildcardOptions = { caseInsensitive: true, escapes: false };
const PATH: WildcardOptions = { caseInsensitive: false, escapes: false };

export class RuleIndex {
  readonly hostPrefix = new AffixTrie(false, true);
  readonly hostSuffix = new AffixTrie(true, true);
  readonly pathPrefix = new AffixTrie(false, false);
  readonly pathSuffix = new AffixTrie(true, false);
  /** Rules the tries cannot file: evaluated for every request. */
  readonly always: number[] = [];

  constructor(rules: CompiledRule[]) {
    const options = rules.map((r) => this.filings(r.rule.conditions));
    const freq = new Map<AffixTrie, Map<string, number>>();
    for (const opts of options) {
      for (const filings of opts) for (const f of filings) bump(freq, f);
    }
    rules.forEach((r, i) => {
      const chosen = cheapest(options[i]!, freq);
      if (chosen === null) this.always.push(r.index);
      else for (const f of chosen) f.trie.insert(f.key, r.index);
    });
  }

  /** Candidate lists for this request, appended to out. */
  collect(st: RequestState, out: Candidates): void {
    if (this.always.length > 0) push(out, this.always);
    if (this.hostPrefix.entries > 0) this.hostPrefix.collect(st.host, 0, st.hostEnd, out);
    if (this.hostSuffix.entries > 0) this.hostSuffix.collect(st.host, 0, st.hostEnd, out);
    const path = st.req.path;
    if (this.pathPrefix.entries > 0) this.pathPrefix.collect(path, 0, path.length, out);
    if (this.pathSuffix.entries > 0) this.pathSuffix.collect(path, 0, path.length, out);
  }

  /** The ways a rule could be filed: one list of filings per indexable host/path condition. */
  private filings(conds: Condition[]): Filing[][] {
    const out: Filing[][] = [];
    for (const c of conds) {
      if (c.field === 'host-header') this.push(out, c.values, HOST, [this.hostPrefix, this.hostSuffix]);
      if (c.field === 'path-pattern') this.push(out, c.values, PATH, [this.pathPrefix, this.pathSuffix]);
    }
    return out;
  }

  private push(out: Filing[][], values: string[], opts: WildcardOptions, [pre, suf]: [AffixTrie, AffixTrie]): void {
    const filings: Filing[] = [];
    for (const v of values) {
      const { prefix, suffix } = literalAffixes(v, opts);
      // Every value (OR) must be filed, or the rule could match through an unfiled one.
      if (prefix === '' && suffix === '') return;
      filings.push(prefix.length >= suffix.length ? { trie: pre, key: prefix } : { trie: suf, key: suffix });
    }
    if (filings.length > 0) out.push(filings);
  }
}

function bump(freq: Map<AffixTrie, Map<string, number>>, f: Filing): void {
  let m = freq.get(f.trie);
  if (!m) freq.set(f.trie, (m = new Map()));
  m.set(f.key, (m.get(f.key) ?? 0) + 1);
}

/** The filing whose busiest key is shared by the fewest rules: the most selective condition. */
function cheapest(options: Filing[][], freq: Map<AffixTrie, Map<string, number>>): Filing[] | null {
  let best: Filing[] | null = null;
  let bestCost = Infinity;
  for (const filings of options) {
    const cost = Math.max(...filings.map((f) => freq.get(f.trie)!.get(f.key)!));
    if (cost < bestCost) {
      best = filings;
      bestCost = cost;
    }
  }
  return best;
}
