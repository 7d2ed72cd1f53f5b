/**
 * The listener seam: one module per listener protocol opens its server and
 * hands each client connection over as a Socket whose reads reach the HTTP
 * engine (ClientConnection) through onClientRead, or, for a TLS client that
 * chose h2, as the socket of an HTTP/2 session (extras.http2), or (network
 * load balancer kinds) forwards it as a flow of its own (tcp/). The data plane neither knows
 * nor cares how a kind accepts (a plain TCP accept adopted into an onread
 * socket, a TLS handshake, ...).
 *
 * API
 *   openerFor(protocol) -> ListenerOpener | undefined  (undefined: not served here)
 *   opener(l, accept, failed, flows) -> Promise<OpenListener | null>
 *     resolves once listening, or with null after calling failed(message)
 *   open.update(l)  the listener's snapshot changed (certificates, policies)
 *   open.close()    stop accepting; open connections stay
 */
import type { Socket } from 'node:net';
import type { ListenerProtocol } from '../../model/load-balancer.js';
import type { ListenerSnapshot } from '../snapshot.js';
import type { FlowHost } from '../tcp/flow.js';
import { openHttp } from './http.js';
import { openHttps } from './https.js';
import { openTcp, openTcpUdp } from './tcp.js';
import { openUdp } from './udp.js';

/** What a listener kind adds to every request of one connection (computed once, at accept). */
export interface ConnectionExtras {
  /** Header lines ("Name: value\r\n"...) appended to each request sent to a target, or null. */
  headerLines: Buffer | null;
  /** The client chose h2 over ALPN: the socket is an HTTP/2 session's (http2/connection.ts), nothing reads it yet. */
  http2: boolean;
}

/** Called with each accepted connection, ready for a ClientConnection (its reads go to onClientRead) or, h2, an H2Connection. */
export type Accept = (socket: Socket, extras?: ConnectionExtras) => void;

export interface OpenListener {
  update(l: ListenerSnapshot): void;
  close(): void;
}

/**
 * `flows` is for the network load balancer kinds (TCP, TLS, UDP, TCP_UDP):
 * they forward connections and datagrams themselves (tcp/) instead of handing
 * sockets to the HTTP engine through accept.
 */
export type ListenerOpener = (l: ListenerSnapshot, accept: Accept, failed: (message: string) => void, flows: FlowHost) => Promise<OpenListener | null>;

const OPENERS: Record<ListenerProtocol, ListenerOpener> = {
  HTTP: openHttp,
  HTTPS: openHttps,
  TCP: openTcp,
  TLS: openTcp,
  UDP: openUdp,
  TCP_UDP: openTcpUdp,
};

export function openerFor(protocol: ListenerProtocol): ListenerOpener | undefined {
  return OPENERS[protocol];
}
