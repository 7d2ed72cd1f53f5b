// Hash routing: #/ (overview), #/lb/NAME, #/tg/NAME, #/asg/NAME,
// #/instance/ID, #/alarms. A page is an async function of the route's
// parameters that builds its content from the API; the shell re-runs it on
// every change event (live.ts), replacing the content in one step.
import type { Child } from './dom.js';

export interface PageContext {
  /** The route parameters, decoded (#/tg/app -> ['app']). */
  params: string[];
  /** Re-render the page now (after an action). */
  refresh(): void;
}

export type Page = (c: PageContext) => Promise<Child>;

export interface Route {
  page: string;
  params: string[];
}

export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter((p) => p !== '').map(decodeURIComponent);
  return { page: parts[0] ?? '', params: parts.slice(1) };
}
