// DOM building for the console. Every value goes in as a text node
// (textContent), never as markup: nothing the API returns is parsed as HTML.

export type Child = Node | string | number | boolean | null | undefined | Child[];
export type Attrs = Record<string, string | number | boolean | undefined | ((ev: Event) => void)>;

/** h('td', {class: 'x'}, 'text'): an element; `on*` attributes become listeners, others attributes. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** A state word styled by its value (healthy, InService, ALARM, ...); the class is a fixed set, the text the value. */
export function state(value: string | undefined): HTMLElement {
  const v = value ?? '';
  return h('span', { class: `state ${stateClass(v)}` }, v);
}

const GOOD = new Set(['healthy', 'InService', 'Healthy', 'Successful', 'OK', 'running', 'ok', 'succeeded', 'passed']);
const BAD = new Set(['unhealthy', 'Unhealthy', 'Failed', 'ALARM', 'Cancelled', 'terminated', 'failed']);

function stateClass(v: string): string {
  if (GOOD.has(v)) return 'good';
  if (BAD.has(v)) return 'bad';
  if (v === '' || v === 'unused') return 'none';
  return 'busy';
}

/** A table, or "none" when there are no rows. */
export function table(head: string[], rows: Child[][], attrs: Attrs = {}): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'muted' }, 'none');
  return h('table', attrs,
    h('thead', {}, h('tr', {}, head.map((c) => h('th', {}, c)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))));
}

/** A link to a console page (hash route); parts are URI-encoded. */
export function link(text: string, ...route: string[]): HTMLElement {
  return h('a', { href: '#/' + route.map(encodeURIComponent).join('/') }, text);
}

export function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', {}, h('h2', {}, title), ...children);
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}
