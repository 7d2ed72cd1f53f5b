/**
 * Generated requests for the smuggling sweep (smuggling-fuzz.test.ts): header
 * spellings and orderings of the framing fields and Host, line endings and
 * folds, bodies that fit one reading or another, and a request pipelined
 * after the body. Repeatable: everything comes from the injected Random.
 */
import { randomInt, type Random } from '../../src/core/random.js';

const CL_NAMES = ['Content-Length', 'content-length', 'CONTENT-LENGTH', 'Content-Length ', 'Content-Length\t', 'Content_Length', '\x01Content-Length', 'Content-Lengt'];
const CL_VALUES = ['5', '5', ' 5', '5 ', '05', '+5', '5, 5', '0x5', '', '6', '4', '0', '99999999999999999999', '5\x0b'];
const TE_NAMES = ['Transfer-Encoding', 'transfer-encoding', 'Transfer-Encoding ', 'Transfer-Encoding\t', 'Transfer_Encoding', 'Tran\xc5\xbffer-Encoding', 'Transfer-Encodin'];
const TE_VALUES = ['chunked', 'chunked', 'Chunked', ' chunked', 'chunked ', '\tchunked', 'xchunked', 'chunked, identity', 'identity, chunked',
  'gzip, chunked', 'chunked, chunked', 'chunked\x0b', '"chunked"', 'chunked;q=1', 'chu nked', ''];
const HOSTS = ['Host: t', 'Host: t', 'Host: t', 'host: t', 'Host: t:80', '', 'Host: t\r\nHost: u', 'Host : t', ' Host: t', 'Host: t u', 'Host:'];
const FILLERS = ['X-A: 1', 'Accept: */*', 'User-Agent: fuzz', 'X-B: a\x01b'];
const BODIES = ['hello', '5\r\nhello\r\n0\r\n\r\n', '5;e=1\r\nhello\r\n0\r\n\r\n', '0\r\n\r\n', '', 'helloworld', '5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n', '5\nhello\n0\n\n'];
const METHODS = ['POST', 'POST', 'POST', 'PUT', 'GET'];

export interface Generated {
  /** The first request's path; the pipelined one is `${path}/next`. */
  path: string;
  bytes: string;
  pipelined: boolean;
}

function pick<T>(r: Random, list: readonly T[]): T {
  return list[randomInt(r, list.length)]!;
}

function shuffle<T>(r: Random, list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = randomInt(r, i + 1);
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}

function framingFields(r: Random): string[] {
  const fields: string[] = [];
  const n = randomInt(r, 4); // 0..3 framing fields
  for (let k = 0; k < n; k++) {
    let f = r.next() < 0.5 ? `${pick(r, CL_NAMES)}: ${pick(r, CL_VALUES)}` : `${pick(r, TE_NAMES)}: ${pick(r, TE_VALUES)}`;
    if (r.next() < 0.1) f += `\r\n ${pick(r, ['chunked', '5', 'x'])}`; // an obs-fold continuation
    if (r.next() < 0.05) f = ` ${f}`; // a whitespace-led line
    fields.push(f);
  }
  return fields;
}

export function generate(r: Random, path: string): Generated {
  const fields = shuffle(r, [...framingFields(r), pick(r, HOSTS), ...(r.next() < 0.5 ? [pick(r, FILLERS)] : [])].filter((f) => f !== ''));
  let head = `${pick(r, METHODS)} ${path} HTTP/1.1\r\n${fields.map((f) => `${f}\r\n`).join('')}\r\n`;
  const endings = r.next();
  if (endings < 0.05) head = head.replace(/\r\n/g, '\n');
  else if (endings < 0.1) {
    const lines = head.split('\r\n');
    const i = 1 + randomInt(r, Math.max(1, lines.length - 3));
    head = [...lines.slice(0, i), `${lines[i]}\n${lines[i + 1]}`, ...lines.slice(i + 2)].join('\r\n');
  }
  const pipelined = r.next() < 0.6;
  const next = pipelined ? `GET ${path}/next HTTP/1.1\r\nHost: t\r\n\r\n` : '';
  return { path, bytes: head + pick(r, BODIES) + next, pipelined };
}
