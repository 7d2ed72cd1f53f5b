/**
 * TCP listeners' byte path in native code (native/tcp-relay/relay.cc): one
 * relay thread per worker accepts, picks a target, connects and moves bytes,
 * so a connection costs no JavaScript at all. Node's sockets cost about three
 * times HAProxy's CPU per connection (bench/, BENCH_SUITE=tcp); the relay
 * brings a network load balancer to HAProxy's speed.
 *
 * JavaScript keeps the decisions: after every snapshot and every failure
 * the listener's target group is published to the relay as a table (its
 * candidates: healthy targets, or all when none is, as tcp/flow.ts picks
 * from, with their zones; cross-zone, PROXY v2, preserve_client_ip,
 * source_ip stickiness, the idle timeout). The relay picks as tcp/pick.ts
 * does with a round-robin balancer. Once a second collect() moves the relay's counters into the
 * load balancer's and the targets' (bytes, new and active connections,
 * in-flight counts, which draining waits on). A refused connect is posted
 * back, reported as tcp/flow.ts reports one, and the target is left out of
 * the next table.
 *
 * Used for plain TCP listeners (and TCP_UDP's TCP side) forwarding to one
 * round-robin TCP target group when the addon is built (Linux) and
 * SHOAL_TCP_RELAY is not `js`; TLS listeners, TLS target groups and other
 * algorithms stay on tcp/flow.ts.
 */
import { loadNativeModule } from '../native-module.js';
import type { ListenerSnapshot } from '../snapshot.js';
import type { WorkerServices } from '../proxy/context.js';
import type { LoadBalancerSecond } from '../stats.js';
import type { OpenListener } from '../listeners/listener.js';
import { TCP_IDLE_SECONDS } from './flow.js';

interface Addon {
  start(onFailures: () => void): void;
  listen(id: number, host: string, port: number): void;
  unlisten(id: number): void;
  setTable(id: number, targets: TableTarget[], options: TableOptions): void;
  terminate(targetId?: number): void;
  collect(): Float64Array;
  takeFailures(): [string, string][];
  stop(): void;
}

interface TableTarget {
  id: number;
  key: string;
  host: string;
  port: number;
  zone: number;
}

interface TableOptions {
  /** Zone names by index (TableTarget.zone), as GroupRuntime.zones has them. */
  zones: string[];
  proxyV2: boolean;
  preserveClientIp: boolean;
  sourceSticky: boolean;
  crossZone: boolean;
  idleMs: number;
}

let addon: Addon | null | undefined;
/** The relay thread is one per process: a second data plane in the same process (tests) uses tcp/flow.ts. */
let active: NativeRelay | null = null;

/** The built addon, or null (not Linux, not built, or SHOAL_TCP_RELAY=js: tcp/flow.ts serves every network listener). */
function loadAddon(): Addon | null {
  if (addon === undefined) addon = loadNativeModule<Addon>('tcp_relay', 'start', process.env.SHOAL_TCP_RELAY === 'js');
  return addon;
}

/** A listener the relay can serve: plain TCP (or TCP_UDP's TCP side) forwarding to one round-robin group that is not TLS. */
export function relayable(l: ListenerSnapshot, services: WorkerServices): boolean {
  if (l.protocol !== 'TCP' && l.protocol !== 'TCP_UDP') return false;
  const name = forwardGroup(l);
  const group = name === '' ? undefined : services.targets.group(name);
  return group !== undefined && group.algorithm === 'round_robin' && !group.members.some((u) => u.tls);
}

function forwardGroup(l: ListenerSnapshot): string {
  const action = l.defaultActions[0];
  return action?.type === 'forward' && action.targetGroups.length === 1 ? action.targetGroups[0]!.targetGroup : '';
}

/** What the relay needs from a listener's side of the worker. */
export interface RelayHost {
  /** The load balancer's counters for the current second. */
  stats(): LoadBalancerSecond;
}

interface RelayListener {
  id: number;
  snapshot: ListenerSnapshot;
  host: RelayHost;
}

/** One per worker (data-plane.ts), started with the first relayed listener; stop() ends the thread. */
export class NativeRelay {
  private readonly addon: Addon;
  private readonly listeners = new Map<number, RelayListener>();
  private nextListener = 1;
  /** Target ids per group and key ("group\0key"): a termination is per group, as deregistration is. */
  private readonly ids = new Map<string, number>();
  private readonly byId = new Map<number, { group: string; key: string }>();
  private readonly inflight = new Map<number, number>();
  private openCount = 0;

  static create(services: WorkerServices): NativeRelay | null {
    const a = loadAddon();
    if (a === null || active !== null) return null;
    active = new NativeRelay(a, services);
    return active;
  }

  private constructor(a: Addon, private readonly services: WorkerServices) {
    this.addon = a;
    a.start(() => this.failures());
  }

  /** Opens a relayed listener; throws Node's listen error ("listen EADDRINUSE: ...") when it cannot bind. */
  open(l: ListenerSnapshot, host: RelayHost): OpenListener {
    const id = this.nextListener++;
    this.addon.listen(id, l.bindAddress, l.port);
    const entry: RelayListener = { id, snapshot: l, host };
    this.listeners.set(id, entry);
    this.publish(entry);
    return {
      update: (next) => {
        entry.snapshot = next;
        this.publish(entry);
      },
      close: () => {
        this.addon.unlisten(id);
        this.listeners.delete(id);
      },
    };
  }

  /** Connections open through the relay, as of the last collect(). */
  get openConnections(): number {
    return this.openCount;
  }

  /**
   * Moves the relay's counters into the load balancers' and targets' and
   * updates `open`. `tick`: the worker's once-a-second report, which also
   * counts each open connection once in ActiveConnectionCount.
   */
  collect(tick: boolean): void {
    const c = this.addon.collect();
    let i = 0;
    this.openCount = c[i++]!;
    const listeners = c[i++]!;
    for (let n = 0; n < listeners; n++, i += 4) {
      const l = this.listeners.get(c[i]!);
      if (l === undefined) continue;
      const s = l.host.stats();
      s.newConnections += c[i + 1]!;
      s.processedBytes += c[i + 2]!;
      if (tick) s.activeConnections += c[i + 3]!;
    }
    const seen = new Set<number>();
    const targets = c[i++]!;
    for (let n = 0; n < targets; n++, i += 4) {
      const id = c[i]!;
      const u = this.upstream(id);
      seen.add(id);
      if (u === undefined) continue;
      u.bytesSent += c[i + 1]!;
      u.bytesReceived += c[i + 2]!;
      this.setInflight(id, u, c[i + 3]!);
    }
    for (const id of [...this.inflight.keys()]) {
      if (!seen.has(id)) this.setInflight(id, this.upstream(id), 0);
    }
  }

  /** Resets the relayed connections of `group` to targets not in `kept` (connection termination on deregistration). */
  terminateExcept(group: string, kept: ReadonlySet<string>): void {
    // Not only the ids with in-flight connections at the last collect(): one may have opened since.
    for (const [id, t] of this.byId) if (t.group === group && !kept.has(t.key)) this.addon.terminate(id);
  }

  terminateAll(): void {
    this.addon.terminate();
  }

  /** Republishes every listener's table (a target was marked suspect). */
  refresh(): void {
    for (const l of this.listeners.values()) this.publish(l);
  }

  stop(): void {
    this.addon.stop();
    if (active === this) active = null;
  }

  private setInflight(id: number, u: { inflight: number } | undefined, n: number): void {
    const before = this.inflight.get(id) ?? 0;
    if (u !== undefined) u.inflight += n - before;
    if (n === 0) this.inflight.delete(id);
    else this.inflight.set(id, n);
  }

  private upstream(id: number) {
    const t = this.byId.get(id);
    if (t === undefined) return undefined;
    for (const u of this.services.targets.all()) if (u.key === t.key) return u;
    return undefined;
  }

  private targetId(group: string, key: string): number {
    const name = `${group}\0${key}`;
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.ids.size + 1;
      this.ids.set(name, id);
      this.byId.set(id, { group, key });
    }
    return id;
  }

  private publish(l: RelayListener): void {
    const groupName = forwardGroup(l.snapshot);
    const group = this.services.targets.group(groupName);
    const zones = (group?.zones ?? []).map((z) => z.name);
    const targets: TableTarget[] = (group?.candidates ?? []).map((u) => ({ id: this.targetId(groupName, u.key), key: u.key, host: u.host, port: u.port, zone: Math.max(0, zones.indexOf(u.zone)) }));
    this.addon.setTable(l.id, targets, {
      zones,
      proxyV2: group?.proxyProtocolV2 === true,
      preserveClientIp: group?.preserveClientIp === true,
      sourceSticky: group?.sourceSticky === true,
      crossZone: l.snapshot.attributes.crossZoneEnabled === true,
      idleMs: TCP_IDLE_SECONDS * 1000,
    });
  }

  /** Connects the relay saw fail: reported as tcp/flow.ts reports them, and the target leaves the tables until the next snapshot. */
  private failures(): void {
    const failed = this.addon.takeFailures();
    if (failed.length === 0) return;
    for (const [key, message] of failed) {
      this.services.targetFailed(key, message);
      this.services.targets.markSuspect(key);
    }
    this.refresh();
  }
}
