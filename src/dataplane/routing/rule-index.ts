/**
 * The rule index: lets a router with 1,000 rules evaluate only the rules that
 * could match a request instead of all of them.
 *
 * Every wildcard pattern has a literal prefix (text before its first wildcard)
 * and a literal suffix (after its last one); any string it matches starts with
 * the one and ends with the other. Each rule is filed under ONE of its
 * conditions — host-header, path-pattern, http-header (per header name) or
 * http-request-method — by the longer affix (or, for methods, the exact value)
 * of every value of that condition, in a trie (affix-trie.ts). A request walks
 * the tries along its host, path and indexed headers and collects the rule
 * lists of the nodes it passes: a superset of the rules whose filed condition
 * can match. Rules with no indexable condition (e.g. path `*`, or only
 * query-string / source-ip conditions) sit in an `always` list.
 *
 * Each list is in priority order; the router merges them and evaluates the
 * full rule, so the index only ever skips rules that cannot match.
 */
import type { Condition } from '../../model/load-balancer.js';
import { AffixTrie, type Candidates, ExactBucket, pushList } from './affix-trie.js';
import type { CompiledRule } from './conditions.js';
import type { RequestState } from './request-state.js';
import { literalAffixes, type WildcardOptions } from './wildcard.js';

export type { Candidates } from './affix-trie.js';

interface Bucket {
  insert(key: string, rule: number, whole: boolean): void;
}

interface Filing {
  bucket: Bucket;
  key: string;
  /** The value has no wildcard: offer the rule only when the input equals key. */
  whole: boolean;
}

interface TriePair {
  prefix: AffixTrie;
  suffix: AffixTrie;
}

const PATH: WildcardOptions = { caseInsensitive: false, escapes: false };
const FOLDED: WildcardOptions = { caseInsensitive: true, escapes: false };

function triePair(ci: boolean): TriePair {
  return { prefix: new AffixTrie(false, ci), suffix: new AffixTrie(true, ci) };
}

export class RuleIndex {
  private readonly host = triePair(true);
  private readonly path = triePair(false);
  private readonly methods = new ExactBucket();
  /** Indexed header names (lowercase) and their tries, as parallel arrays so collect() need not allocate. */
  private readonly headerNames: string[] = [];
  private readonly headerTries: TriePair[] = [];
  /** Rules no bucket can file: evaluated for every request. */
  readonly always: number[] = [];

  constructor(rules: CompiledRule[]) {
    const options = rules.map((r) => this.filings(r.rule.conditions));
    const freq = new Map<Bucket, Map<string, number>>();
    for (const opts of options) for (const filings of opts) for (const f of filings) bump(freq, f);
    rules.forEach((r, i) => {
      const chosen = cheapest(options[i]!, freq);
      if (chosen === null) this.always.push(r.index);
      else for (const f of chosen) f.bucket.insert(f.key, r.index, f.whole);
    });
    // Drop header names no rule ended up filed under: collect() would read the header for nothing.
    for (let i = this.headerNames.length - 1; i >= 0; i--) {
      const t = this.headerTries[i]!;
      if (t.prefix.entries + t.suffix.entries === 0) {
        this.headerNames.splice(i, 1);
        this.headerTries.splice(i, 1);
      }
    }
  }

  /** Candidate lists for this request, appended to out. Called per request: must not allocate. */
  collect(st: RequestState, out: Candidates): void {
    if (this.always.length > 0) pushList(out, this.always);
    this.host.prefix.collect(st.host, 0, st.hostEnd, out);
    this.host.suffix.collect(st.host, 0, st.hostEnd, out);
    const path = st.req.path;
    this.path.prefix.collect(path, 0, path.length, out);
    this.path.suffix.collect(path, 0, path.length, out);
    this.methods.collect(st.req.method, out);
    for (let i = 0; i < this.headerNames.length; i++) {
      const v = st.req.header(this.headerNames[i]!);
      if (v === undefined) continue;
      const tries = this.headerTries[i]!;
      tries.prefix.collect(v, 0, v.length, out);
      tries.suffix.collect(v, 0, v.length, out);
    }
  }

  /** The ways a rule could be filed: one list of filings per indexable condition. */
  private filings(conds: Condition[]): Filing[][] {
    const out: Filing[][] = [];
    for (const c of conds) {
      let f: Filing[] | null = null;
      if (c.field === 'host-header') f = affixFilings(c.values, FOLDED, this.host);
      else if (c.field === 'path-pattern') f = affixFilings(c.values, PATH, this.path);
      else if (c.field === 'http-header' && c.httpHeaderName) f = affixFilings(c.values, FOLDED, this.headerPair(c.httpHeaderName));
      else if (c.field === 'http-request-method') f = c.values.map((key) => ({ bucket: this.methods, key, whole: true }));
      if (f !== null && f.length > 0) out.push(f);
    }
    return out;
  }

  private headerPair(name: string): TriePair {
    const lower = name.toLowerCase();
    let i = this.headerNames.indexOf(lower);
    if (i < 0) {
      i = this.headerNames.push(lower) - 1;
      this.headerTries.push(triePair(true));
    }
    return this.headerTries[i]!;
  }
}

/** One filing per value, or null when some value has no literal affix (it could match anything). */
function affixFilings(values: string[], opts: WildcardOptions, tries: TriePair): Filing[] | null {
  const out: Filing[] = [];
  for (const v of values) {
    const { prefix, suffix } = literalAffixes(v, opts);
    // Every value (OR) must be filed, or the rule could match through an unfiled one.
    if (prefix === '' && suffix === '') return null;
    const whole = !/[*?]/.test(v); // no wildcard: prefix and suffix are the whole value
    out.push(prefix.length >= suffix.length ? { bucket: tries.prefix, key: prefix, whole } : { bucket: tries.suffix, key: suffix, whole: false });
  }
  return out;
}

function bump(freq: Map<Bucket, Map<string, number>>, f: Filing): void {
  let m = freq.get(f.bucket);
  if (!m) freq.set(f.bucket, (m = new Map()));
  m.set(f.key, (m.get(f.key) ?? 0) + 1);
}

/** The filing whose busiest key is shared by the fewest rules: the most selective condition. */
function cheapest(options: Filing[][], freq: Map<Bucket, Map<string, number>>): Filing[] | null {
  let best: Filing[] | null = null;
  let bestCost = Infinity;
  for (const filings of options) {
    const cost = Math.max(...filings.map((f) => freq.get(f.bucket)!.get(f.key)!));
    if (cost < bestCost) {
      best = filings;
      bestCost = cost;
    }
  }
  return best;
}
