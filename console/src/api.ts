// The console's only way to the daemon: the same JSON API the CLI uses
// (/_shoal/...). The session cookie goes with every same-origin fetch; every
// call that changes state carries the session's CSRF token (from the page's
// meta tag) and a JSON Content-Type, which the guard requires.

export class ApiError extends Error {
  constructor(readonly code: string, message: string, readonly status: number) {
    super(message);
  }
}

function csrf(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="shoal-csrf"]')?.content ?? '';
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: {} };
  if (method === 'POST') {
    init.headers = { 'content-type': 'application/json', 'x-csrf-token': csrf() };
    init.body = JSON.stringify(body ?? {});
  }
  const r = await fetch(path, init);
  const text = await r.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!r.ok) {
    const e = (json ?? {}) as { code?: string; message?: string };
    if (r.status === 401 || (r.status === 403 && e.code === 'InvalidClientTokenId')) {
      throw new ApiError('SessionEnded', 'The console session has ended: reload the page to log in again.', r.status);
    }
    throw new ApiError(e.code ?? `HTTP${r.status}`, e.message ?? text.slice(0, 300), r.status);
  }
  return json as T;
}

export const get = <T>(path: string): Promise<T> => call<T>('GET', path);
export const post = <T>(path: string, body?: unknown): Promise<T> => call<T>('POST', path, body);
export const enc = encodeURIComponent;
