// "Which rule would this request match?" on the load balancer page. The form
// is kept per load balancer across re-renders (a live update must not wipe
// what the user typed); the answer comes from the daemon's own router.
import { enc, post } from '../api.js';
import { clear, h } from '../dom.js';

interface Answer { Listeners: Array<{ Port: number; Protocol: string; MatchedPriority: number | string; Action: string }> }

const testers = new Map<string, HTMLElement>();

export function ruleTester(lb: string): HTMLElement {
  const kept = testers.get(lb);
  if (kept) return kept;
  const method = h('input', { name: 'method', value: 'GET', size: 6 });
  const host = h('input', { name: 'host', placeholder: 'Host (e.g. api.example.com)', size: 24 });
  const path = h('input', { name: 'path', value: '/', size: 28 });
  const header = h('input', { name: 'header', placeholder: 'header: value (optional)', size: 24 });
  const out = h('div', { class: 'match-result', id: 'match-result' });
  const form = h('form', { class: 'tester' }, method, ' ', host, ' ', path, ' ', header, ' ', h('button', { type: 'submit', class: 'small' }, 'Which rule matches?'), out);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const headers: Record<string, string> = {};
    const i = header.value.indexOf(':');
    if (i > 0) headers[header.value.slice(0, i).trim()] = header.value.slice(i + 1).trim();
    post<Answer>(`/_shoal/load-balancers/${enc(lb)}/match`, { method: method.value, host: host.value, path: path.value, headers }).then((a) => {
      clear(out);
      for (const l of a.Listeners) {
        out.appendChild(h('p', {}, `${l.Protocol} :${l.Port} → `, h('strong', {}, l.MatchedPriority === 'default' ? 'the default action' : `rule ${l.MatchedPriority}`), `: ${l.Action}`));
      }
    }, (err: unknown) => {
      out.textContent = err instanceof Error ? err.message : String(err);
    });
  });
  testers.set(lb, form);
  return form;
}
