/**
 * Where an instance's app listens, for every provider that runs instances on
 * this machine's loopback range (the process and Docker providers, host
 * networking): a private IP from its zone's subnet and a port, allocated one
 * launch at a time (Reservations).
 */
import { ShoalError } from '../core/errors.js';
import { allocatePrivateIp, subnetPrefix, type LaunchSpec } from './provider.js';
import { listeningSockets } from './process/proc.js';
import { freePort } from './process/spawn.js';

export interface Address { privateIp: string; host: string; port: number }

/**
 * The instance's private IP (lowest free one of its zone's subnet; addresses
 * where something else already listens on the port, e.g. another shoal or a
 * test, are skipped) and where its app listens (see PortMode). `live`: the
 * addresses already in use (instances, and launches still starting).
 */
export async function allocateAddress(spec: LaunchSpec, live: readonly Pick<Address, 'privateIp' | 'port'>[]): Promise<Address> {
  const sockets = listeningSockets();
  const taken = new Set(live.map((m) => m.privateIp));
  let privateIp: string | undefined;
  while ((privateIp = allocatePrivateIp(spec.zoneIndex, taken)) && sockets.has(`${privateIp}:${spec.port}`)) {
    taken.add(privateIp);
  }
  if (!privateIp) {
    const subnet = `${subnetPrefix(spec.zoneIndex)}0/24`;
    throw new ShoalError('InsufficientInstanceCapacity', `No free address left in ${subnet} (${spec.availabilityZone})`, 500);
  }
  if (spec.portMode !== 'dynamic') return { privateIp, host: privateIp, port: spec.port };
  return { privateIp, host: '127.0.0.1', port: await freePort(new Set(live.map((m) => m.port))) };
}

/**
 * Allocates one launch at a time, each seeing the addresses of live instances
 * and of launches still starting: an ASG launches in concurrent batches, and
 * two instances on one address made the second one's app fail to listen and
 * its termination deregister the first one's target (issue 4).
 */
export class Reservations {
  private readonly held = new Map<string, Address>();
  private chain: Promise<unknown> = Promise.resolve();

  /** `live`: the provider's instances that still hold their address. */
  constructor(private readonly live: () => Iterable<Pick<Address, 'privateIp' | 'port'>>) {}

  reserve(spec: LaunchSpec): Promise<Address> {
    const next = this.chain.then(async () => {
      const a = await allocateAddress(spec, [...this.live(), ...this.held.values()]);
      this.held.set(spec.instanceId, a);
      return a;
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** The launch is over (started or failed): its address is now the instance's, or free. */
  release(instanceId: string): void {
    this.held.delete(instanceId);
  }

  has(instanceId: string): boolean {
    return this.held.has(instanceId);
  }
}
