/**
 * Images ("AMIs"): an image is an application directory, or a container image
 * reference (`docker:repo/name:tag`, run by the docker provider), with an
 * AWS-style id. A directory or reference named in the config is registered on
 * sync with an id derived from it (stable across restarts and reloads); `create-image` copies a
 * running instance's working directory into stateDir/images/<ami-id>/ (as
 * "Create image" in the EC2 console snapshots a root volume).
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Clock } from '../../core/clock.js';
import { ShoalError, validationError } from '../../core/errors.js';
import { randomHex, type Random } from '../../core/random.js';
import type { Store } from '../../store/index.js';

export interface ImageRecord {
  imageId: string;
  name: string;
  /** Absolute path of the image directory, or the container image reference (docker:...). */
  location: string;
  createdAt: number;
  /** config: a directory a launch template names; create-image: CreateImage; builtin: shipped with shoal (builtin.ts). */
  source: 'config' | 'create-image' | 'builtin';
  sourceInstanceId?: string;
  description?: string;
}

export const IMAGE_KIND = 'image';
const AMI = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** The stable id of a config image directory or container image: ami- + 17 hex of the path's (reference's) SHA-256. */
export function imageIdForPath(dir: string): string {
  return 'ami-' + createHash('sha256').update(isContainerImageRef(dir) ? dir : resolve(dir)).digest('hex').slice(0, 17);
}

/** A container image reference as launch templates name one: `docker:repo/name:tag`. */
export function isContainerImageRef(location: string): boolean {
  return location.startsWith('docker:');
}

export function isImageId(id: string): boolean {
  return AMI.test(id);
}

export function imageNotFound(imageId: string): ShoalError {
  return new ShoalError('InvalidAMIID.NotFound', `The image id '${imageId}' does not exist. See \`shoal images\` or give a directory as imageId.`);
}

export class ImageCatalog {
  constructor(private readonly o: { store: Store; stateDir: string; clock: Clock; random: Random }) {}

  /** Registers a directory (idempotent) and returns its record. */
  registerDirectory(dir: string): ImageRecord {
    const location = resolve(dir);
    const imageId = imageIdForPath(location);
    const known = this.get(imageId);
    if (known) return known;
    const rec: ImageRecord = { imageId, name: location, location, createdAt: this.o.clock.now(), source: 'config' };
    this.o.store.putDoc(IMAGE_KIND, imageId, rec);
    return rec;
  }

  /** A directory shipped with shoal, under a stable name and id (the same on every machine). Idempotent. */
  registerBuiltin(name: string, dir: string, description: string): ImageRecord {
    const imageId = 'ami-' + createHash('sha256').update(`builtin:${name}`).digest('hex').slice(0, 17);
    const location = resolve(dir);
    const known = this.get(imageId);
    if (known && known.location === location) return known;
    const rec: ImageRecord = { imageId, name, location, createdAt: known?.createdAt ?? this.o.clock.now(), source: 'builtin', description };
    this.o.store.putDoc(IMAGE_KIND, imageId, rec);
    return rec;
  }

  get(imageId: string): ImageRecord | undefined {
    return this.o.store.getDoc<ImageRecord>(IMAGE_KIND, imageId)?.value;
  }

  /**
   * A container image reference (idempotent), under an id derived from it. The
   * engines are asked for the image at launch, not here: each zone's engine has its own.
   */
  registerContainerImage(ref: string): ImageRecord {
    const imageId = imageIdForPath(ref);
    const known = this.get(imageId);
    if (known) return known;
    const rec: ImageRecord = { imageId, name: ref, location: ref, createdAt: this.o.clock.now(), source: 'config' };
    this.o.store.putDoc(IMAGE_KIND, imageId, rec);
    return rec;
  }

  /**
   * Where an image id's instances come from (LaunchSpec.imageDir): its directory,
   * or its container image reference; InvalidAMIID.NotFound when unknown or gone.
   */
  directory(imageId: string): string {
    const rec = this.get(imageId);
    if (rec && isContainerImageRef(rec.location)) return rec.location;
    if (!rec || !existsSync(rec.location) || !statSync(rec.location).isDirectory()) throw imageNotFound(imageId);
    return rec.location;
  }

  list(): ImageRecord[] {
    return this.o.store.listDocs<ImageRecord>(IMAGE_KIND).map((d) => d.value);
  }

  /** Copies an instance's working directory into a new image. Symlinks (node_modules) stay links. */
  createFromDirectory(o: { workingDir: string; name: string; instanceId: string; description?: string }): ImageRecord {
    if (!/^[A-Za-z0-9()[\]./\-'@_ ]{3,128}$/.test(o.name)) {
      throw validationError(`Invalid image name '${o.name}': 3 to 128 letters, digits and ( ) [ ] . / - ' @ _ or spaces`);
    }
    if (this.list().some((r) => r.name === o.name)) {
      throw new ShoalError('InvalidAMIName.Duplicate', `AMI name ${o.name} is already in use by another image`);
    }
    if (!existsSync(o.workingDir)) {
      throw new ShoalError('IncorrectInstanceState', `Instance ${o.instanceId} has no working directory (it is terminated)`);
    }
    const imageId = 'ami-' + randomHex(this.o.random, 17);
    const location = join(this.o.stateDir, 'images', imageId);
    cpSync(o.workingDir, location, { recursive: true, verbatimSymlinks: true });
    const rec: ImageRecord = {
      imageId, name: o.name, location, createdAt: this.o.clock.now(), source: 'create-image', sourceInstanceId: o.instanceId,
      ...(o.description ? { description: o.description } : {}),
    };
    this.o.store.putDoc(IMAGE_KIND, imageId, rec);
    return rec;
  }
}
