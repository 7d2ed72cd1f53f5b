/**
 * Redirect actions, as ALB renders them: protocol://host:port/path?query,
 * each component from the config with the reserved keywords #{protocol},
 * #{host}, #{port}, #{path} and #{query} replaced by the request's values.
 * #{path} is the original path with its leading '/' removed (so the default
 * "/#{path}" keeps it unchanged); #{host} is the Host without its port;
 * #{port} is the listener port. Components are not percent-encoded.
 * The protocol is lowercased, the port is left out when it is the protocol's
 * default (80 for http, 443 for https), and '?' is left out when the query is
 * empty. Omitted components keep their defaults.
 */
import type { RedirectConfig } from '../../model/load-balancer.js';
import type { RequestView } from './router.js';
import { hostnameEnd } from './request-state.js';

const KEYWORD = /#\{(protocol|host|port|path|query)\}/g;

interface Values {
  protocol: string;
  host: string;
  port: string;
  path: string;
  query: string;
}

function fill(template: string | undefined, fallback: string, v: Values): string {
  const t = template === undefined || template === '' ? fallback : template;
  if (t.indexOf('#{') < 0) return t;
  return t.replace(KEYWORD, (_, k: keyof Values) => v[k]);
}

export function renderRedirect(cfg: RedirectConfig, req: RequestView): { statusCode: 301 | 302; location: string } {
  const v: Values = {
    protocol: req.protocol,
    host: req.host.slice(0, hostnameEnd(req.host)),
    port: String(req.port),
    path: req.path.startsWith('/') ? req.path.slice(1) : req.path,
    query: req.query,
  };
  const protocol = fill(cfg.protocol, '#{protocol}', v).toLowerCase();
  const host = fill(cfg.host, '#{host}', v);
  const port = fill(cfg.port, '#{port}', v);
  let path = fill(cfg.path, '/#{path}', v);
  if (!path.startsWith('/')) path = '/' + path;
  const query = fill(cfg.query, '#{query}', v);
  const defaultPort = (protocol === 'http' && port === '80') || (protocol === 'https' && port === '443');
  const location = `${protocol}://${host}${defaultPort ? '' : ':' + port}${path}${query === '' ? '' : '?' + query}`;
  return { statusCode: cfg.statusCode === 'HTTP_301' ? 301 : 302, location };
}
