import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RedirectConfig } from '../../model/load-balancer.js';
import { renderRedirect } from './redirect.js';
import { request, type RequestInit } from './testing.js';

const DEFAULTS: RedirectConfig = { protocol: '#{protocol}', host: '#{host}', port: '#{port}', path: '/#{path}', query: '#{query}', statusCode: 'HTTP_301' };

const cases: Array<[string, Partial<RedirectConfig>, RequestInit, number, string]> = [
  ['HTTP to HTTPS on 443 drops the default port', { protocol: 'HTTPS', port: '443' }, { host: 'example.com', path: '/a/b', query: 'x=1', port: 80 }, 301, 'https://example.com/a/b?x=1'],
  ['defaults keep everything (port 80 omitted)', {}, { host: 'example.com:80', path: '/a', port: 80 }, 301, 'http://example.com/a'],
  ['non-default port kept', {}, { host: 'example.com:8080', path: '/a', port: 8080 }, 301, 'http://example.com:8080/a'],
  ['#{port} kept literally when protocol changes', { protocol: 'HTTPS' }, { path: '/', port: 80 }, 301, 'https://example.com:80/'],
  ['#{path} drops the leading slash', { path: '/new/#{path}' }, { path: '/old/x' }, 301, 'http://example.com/new/old/x'],
  ['root path', { path: '/new/#{path}' }, { path: '/' }, 301, 'http://example.com/new/'],
  ['empty query omits ?', {}, { path: '/a', query: '' }, 301, 'http://example.com/a'],
  ['query appended', { query: '#{query}&value=xyz' }, { query: 'a=1' }, 301, 'http://example.com/?a=1&value=xyz'],
  ['host template', { host: 'www.#{host}' }, { host: 'Example.com:80' }, 301, 'http://www.Example.com/'],
  ['302', { statusCode: 'HTTP_302' }, {}, 302, 'http://example.com/'],
  ['protocol lowercased', { protocol: 'HTTP' }, { protocol: 'HTTPS', port: 443 }, 301, 'http://example.com:443/'],
  ['HTTPS request keeps https and drops 443', {}, { protocol: 'HTTPS', port: 443, host: 'example.com' }, 301, 'https://example.com/'],
  ['fixed host and port', { host: 'other.org', port: '8443', protocol: 'HTTPS' }, { path: '/p' }, 301, 'https://other.org:8443/p'],
  ['path template with #{host} and #{port}', { path: '/#{host}/#{port}/#{path}' }, { path: '/z', port: 8080 }, 301, 'http://example.com:8080/example.com/8080/z'],
  ['empty fields fall back to defaults', { host: '', path: '' }, { path: '/k' }, 301, 'http://example.com/k'],
];

for (const [name, cfg, req, status, location] of cases) {
  test(`redirect: ${name}`, () => {
    assert.deepEqual(renderRedirect({ ...DEFAULTS, ...cfg }, request(req)), { statusCode: status, location });
  });
}
