// Live updates: one EventSource on /_shoal/events (src/api/events.ts). The
// daemon sends `change` when its state version moves; the page then fetches
// what it shows again. No polling of the pages themselves.

export function followChanges(onChange: () => void, indicator: HTMLElement): EventSource {
  const source = new EventSource('/_shoal/events');
  let seen: string | undefined;
  source.addEventListener('change', (ev) => {
    const version = (JSON.parse((ev as MessageEvent<string>).data) as { version: string }).version;
    indicator.textContent = 'live';
    indicator.dataset.version = version;
    if (seen !== undefined && seen !== version) onChange();
    seen = version;
  });
  source.addEventListener('open', () => (indicator.textContent = 'live'));
  source.addEventListener('error', () => {
    // EventSource reconnects by itself after a network error; a refused stream (session ended) closes it.
    indicator.textContent = source.readyState === EventSource.CLOSED ? 'disconnected: reload the page' : 'reconnecting…';
    if (source.readyState === EventSource.CLOSED) onChange();
  });
  return source;
}
