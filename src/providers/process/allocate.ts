import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ShoalError, validationError } from '../../core/errors.js';
import { isInstanceId, subnetPrefix, type LaunchSpec } from '../provider.js';

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
