import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ShoalError, validationError } from '../../core/errors.js';
import { allocatePrivateIp, isInstanceId, subnetPrefix, type LaunchSpec } from '../provider.js';
import type { InstanceMeta } from './meta.js';
import { listeningSockets } from './proc.js';
import { freePort } from './spawn.js';

/** Validates what launch() cannot fix itself; returns the image directory, absolute. */
export function checkSpec(spec: LaunchSpec): string {
  if (!isInstanceId(spec.instanceId)) {
    throw validationError(`Invalid instance id '${spec.instanceId}': expected i-0 and 17 hex digits`);
  }
  if (!Number.isInteger(spec.port) || spec.port < 1 || spec.port > 65535) {
    throw validationError(`Invalid port ${spec.port}: expected 1-65535`);
  }
  subnetPrefix(spec.zoneIndex);
  const imageDir = resolve(spec.imageDir);
  if (!existsSync(imageDir) || !statSync(imageDir).isDirectory()) {
    throw new ShoalError('InvalidAMIID.NotFound', `The image directory ${imageDir} does not exist`);
  }
  return imageDir;
}

export interface Address { privateIp: string; host: string; port: number }

/**
 * The instance's private IP (lowest free one of its zone's subnet; addresses
 * where something else already listens on the port, e.g. another shoal or a
 * test, are skipped) and where its app listens (see PortMode). `live`: the
 * addresses already in use (instances, and launches still starting).
 */
export async function allocateAddress(spec: LaunchSpec, live: readonly Pick<InstanceMeta, 'privateIp' | 'port'>[]): Promise<Address> {
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
