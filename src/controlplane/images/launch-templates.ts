/**
 * Launch templates, versioned in the store (EC2's CreateLaunchTemplateVersion /
 * DescribeLaunchTemplateVersions). The config's versions are versions 1..N in
 * order; versions created at runtime (`create-launch-template-version`) follow
 * them. A config reload rewrites versions 1..N from the file; a runtime version
 * whose number the file now claims is replaced by the file's (logged by the caller).
 * `$Latest` is the highest number, `$Default` the template's default version.
 */
import type { Clock } from '../../core/clock.js';
import { ShoalError, validationError } from '../../core/errors.js';
import { randomHex, type Random } from '../../core/random.js';
import { isContainerImage, type LaunchTemplate, type LaunchTemplateVersion, type LaunchTemplateVersionRef } from '../../model/auto-scaling.js';
import type { Store } from '../../store/index.js';
import { docKind } from '../../resources/records.js';
import { isContainerImageRef, isImageId, type ImageCatalog } from './images.js';

export interface StoredVersion {
  versionNumber: number;
  data: LaunchTemplateVersion;
  createdAt: number;
  source: 'config' | 'api';
  description?: string;
}

export interface StoredTemplate {
  name: string;
  launchTemplateId: string;
  defaultVersion: number;
  versions: StoredVersion[];
  /**
   * A default set at runtime (ModifyLaunchTemplate on a file-owned template),
   * with the config's default at that moment: it holds over reloads until the
   * file's defaultVersion changes (the file then wins) or the version is gone.
   */
  runtimeDefault?: { version: number; configDefault: number };
}

export const TEMPLATE_KIND = 'launch-template';

export function templateNotFound(name: string): ShoalError {
  return new ShoalError('InvalidLaunchTemplateName.NotFoundException', `The specified launch template, with template name ${name}, does not exist.`);
}

/** Resolves $Latest / $Default / N to a stored version (pure). */
export function resolveVersion(t: StoredTemplate, ref: LaunchTemplateVersionRef | string): StoredVersion {
  const n = ref === '$Latest' ? Math.max(...t.versions.map((v) => v.versionNumber))
    : ref === '$Default' ? t.defaultVersion : Number(ref);
  const v = t.versions.find((x) => x.versionNumber === n);
  if (!v) {
    throw new ShoalError('InvalidLaunchTemplateId.VersionNotFound', `Could not find launch template version ${String(ref)} of ${t.name}.`);
  }
  return v;
}

/** The config's default, unless a runtime default set against this same config default still names a version. */
function keptDefault(t: StoredTemplate, configDefault: number): number {
  const r = t.runtimeDefault;
  if (r && r.configDefault === configDefault && t.versions.some((v) => v.versionNumber === r.version)) return r.version;
  delete t.runtimeDefault;
  return configDefault;
}

export class LaunchTemplates {
  constructor(private readonly o: { store: Store; images: ImageCatalog; clock: Clock; random: Random }) {}

  /** Makes the store hold the config's templates; image directories become image ids. Returns replaced runtime versions. */
  sync(templates: readonly LaunchTemplate[]): string[] {
    const replaced: string[] = [];
    for (const lt of templates) {
      const doc = this.o.store.getDoc<StoredTemplate>(TEMPLATE_KIND, lt.name);
      const before = doc ? JSON.stringify(doc.value) : undefined; // t below is doc.value, changed in place
      const t: StoredTemplate = doc?.value ?? {
        name: lt.name, launchTemplateId: this.idFor(lt.name), defaultVersion: lt.defaultVersion, versions: [],
      };
      t.launchTemplateId = this.recordId(lt.name) ?? t.launchTemplateId;
      lt.versions.forEach((v, i) => {
        const data = this.withImageId(v);
        const at = t.versions.findIndex((x) => x.versionNumber === i + 1);
        const old = at >= 0 ? t.versions[at] : undefined;
        if (old && JSON.stringify(old.data) === JSON.stringify(data)) return;
        if (old?.source === 'api') replaced.push(`${lt.name} version ${i + 1}`);
        const next: StoredVersion = { versionNumber: i + 1, data, createdAt: this.o.clock.now(), source: 'config' };
        if (at >= 0) t.versions[at] = next;
        else t.versions.push(next);
      });
      t.versions.sort((a, b) => a.versionNumber - b.versionNumber);
      t.defaultVersion = keptDefault(t, lt.defaultVersion);
      if (before !== JSON.stringify(t)) this.o.store.putDoc(TEMPLATE_KIND, lt.name, t);
    }
    return replaced;
  }

  get(name: string): StoredTemplate {
    const t = this.o.store.getDoc<StoredTemplate>(TEMPLATE_KIND, name)?.value;
    if (!t) throw templateNotFound(name);
    return t;
  }

  list(): StoredTemplate[] {
    return this.o.store.listDocs<StoredTemplate>(TEMPLATE_KIND).map((d) => d.value);
  }

  resolve(name: string, ref: LaunchTemplateVersionRef | string): StoredVersion {
    return resolveVersion(this.get(name), ref);
  }

  /** CreateLaunchTemplateVersion: a copy of sourceVersion (default $Latest) with the given fields changed. */
  createVersion(name: string, o: { sourceVersion?: string; data: Partial<LaunchTemplateVersion>; description?: string; setDefault?: boolean }): StoredVersion {
    const t = this.get(name);
    const base = resolveVersion(t, o.sourceVersion ?? '$Latest');
    const data = this.withImageId({ ...base.data, ...o.data }, true);
    const versionNumber = Math.max(...t.versions.map((v) => v.versionNumber)) + 1;
    const v: StoredVersion = { versionNumber, data, createdAt: this.o.clock.now(), source: 'api', ...(o.description ? { description: o.description } : {}) };
    t.versions.push(v);
    if (o.setDefault) t.defaultVersion = versionNumber;
    this.o.store.putDoc(TEMPLATE_KIND, name, t);
    return v;
  }

  /** ModifyLaunchTemplate --default-version at runtime (kept over reloads until the file's default changes). */
  setDefault(name: string, version: number, configDefault?: number): void {
    const t = this.get(name);
    resolveVersion(t, version);
    t.defaultVersion = version;
    if (configDefault !== undefined) t.runtimeDefault = { version, configDefault };
    this.o.store.putDoc(TEMPLATE_KIND, name, t);
  }

  /** DeleteLaunchTemplate: the versions go with the template (sync never removes a template). */
  delete(name: string): void {
    this.o.store.deleteDoc(TEMPLATE_KIND, name);
  }

  /** The model record's id makes the lt- id, so the AWS API and shoal's own views agree. */
  private recordId(name: string): string | undefined {
    const id = this.o.store.getDoc<{ id?: string }>(docKind('launchTemplates'), name)?.value.id;
    return id === undefined ? undefined : 'lt-' + id;
  }

  private idFor(name: string): string {
    return this.recordId(name) ?? 'lt-' + randomHex(this.o.random, 17);
  }

  /**
   * A directory or container image becomes its image id; an ami- id is checked
   * only when `check` (a config may name one created later).
   */
  private withImageId(v: LaunchTemplateVersion, check = false): LaunchTemplateVersion {
    if (isImageId(v.imageId)) {
      if (check) this.o.images.directory(v.imageId);
      return { ...v };
    }
    if (isContainerImageRef(v.imageId)) {
      if (!isContainerImage(v.imageId)) throw validationError(`imageId '${v.imageId}' is not a container image reference: expected docker:repo/name:tag`);
      return { ...v, imageId: this.o.images.registerContainerImage(v.imageId).imageId };
    }
    if (!v.imageId.startsWith('/')) throw validationError(`imageId '${v.imageId}' must be an ami- id, a container image (docker:repo/name:tag) or an absolute directory path`);
    return { ...v, imageId: this.o.images.registerDirectory(v.imageId).imageId };
  }
}
