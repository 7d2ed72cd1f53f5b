// Entry point of the browser console, bundled by scripts/build-console.js
// into dist/console/main.js and loaded by the shell the daemon serves
// (src/api/console.ts). Plain TypeScript and DOM: a header, the page for the
// current hash route, re-rendered on every change the daemon pushes.
import './main.css';
import { ApiError, post } from './api.js';
import { append, clear, h } from './dom.js';
import { followChanges } from './live.js';
import { parseHash, type Page } from './router.js';
import { alarms } from './pages/alarms.js';
import { autoScalingGroup } from './pages/asg.js';
import { instance } from './pages/instance.js';
import { loadBalancer } from './pages/lb.js';
import { metricsPage } from './pages/metrics.js';
import { overview } from './pages/overview.js';
import { targetGroup } from './pages/tg.js';

const PAGES: Record<string, Page> = {
  '': overview,
  lb: loadBalancer,
  tg: targetGroup,
  asg: autoScalingGroup,
  instance,
  alarms,
  metrics: metricsPage,
};

const root = document.getElementById('shoal-console');
const content = h('main', { id: 'content' });
const notice = h('div', { id: 'notice', role: 'status' });
let rendering: Promise<void> | undefined;
let again = false;

/** Renders the current route; calls that arrive while one runs coalesce into one more. */
function render(): void {
  if (rendering) {
    again = true;
    return;
  }
  rendering = renderOnce().finally(() => {
    rendering = undefined;
    if (again) {
      again = false;
      render();
    }
  });
}

async function renderOnce(): Promise<void> {
  const route = parseHash(location.hash);
  const page = PAGES[route.page];
  try {
    const out = page ? await page({ params: route.params, refresh: render }) : h('p', {}, 'No such page. ', h('a', { href: '#/' }, 'Overview'));
    const scroll = window.scrollY;
    clear(content);
    append(content, [out]);
    window.scrollTo(0, scroll);
    notice.textContent = '';
    document.body.dataset.rendered = String(Number(document.body.dataset.rendered ?? 0) + 1);
  } catch (err) {
    notice.textContent = err instanceof ApiError ? `${err.code}: ${err.message}` : `cannot reach the daemon: ${String(err)}`;
  }
}

if (root !== null) {
  clear(root);
  const live = h('span', { id: 'live', class: 'muted' }, 'connecting…');
  const logout = h('button', { type: 'button', class: 'small', onclick: () => void post('/_shoal/logout').finally(() => location.assign('/')) }, 'Log out');
  append(root, [
    h('header', {},
      h('a', { href: '#/', class: 'brand' }, 'shoal'),
      h('nav', {}, h('a', { href: '#/' }, 'Overview'), h('a', { href: '#/alarms' }, 'Alarms'), h('a', { href: '#/metrics' }, 'Metrics')),
      live, logout),
    notice, content,
  ]);
  window.addEventListener('hashchange', () => {
    window.scrollTo(0, 0);
    render();
  });
  render();
  followChanges(render, live);
}

export { render };
