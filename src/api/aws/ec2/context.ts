/**
 * The views the operations share over the store: the image catalog and the
 * launch templates' versions (stateless over the store, the same documents the
 * Auto Scaling service reads), EC2-side tags, and the launch template records.
 */
import { ImageCatalog } from '../../../controlplane/images/images.js';
import { LaunchTemplates, type StoredTemplate } from '../../../controlplane/images/launch-templates.js';
import { registerBuiltinImages } from '../../../controlplane/images/builtin.js';
import { VPC_ID } from '../../../resources/zones.js';
import { awsError } from '../common/op.js';
import type { ResourceRecord } from '../../../resources/records.js';
import type { Ec2Deps } from './deps.js';
import { templateIdMalformed, templateIdNotFound, templateNameNotFound, combination, missing } from './errors.js';

export const TAGS_KIND = 'ec2:tags';
export const SG_KIND = 'ec2:security-group';

export class Ec2Context {
  readonly images: ImageCatalog;
  readonly templates: LaunchTemplates;

  constructor(readonly d: Ec2Deps) {
    this.images = d.autoScaling()?.images ?? new ImageCatalog({ store: d.store, stateDir: d.stateDir, clock: d.clock, random: d.random });
    this.templates = new LaunchTemplates({ store: d.store, images: this.images, clock: d.clock, random: d.random });
    registerBuiltinImages(this.images);
  }

  /** Tags CreateTags put on a resource the model does not hold (instances, images). */
  tags(resourceId: string): Record<string, string> {
    return this.d.store.getDoc<Record<string, string>>(TAGS_KIND, resourceId)?.value ?? {};
  }

  addTags(resourceId: string, tags: Record<string, string>): void {
    this.d.store.putDoc(TAGS_KIND, resourceId, { ...this.tags(resourceId), ...tags });
  }

  /** A security group's name by id (security-groups.ts keeps them in the store). */
  securityGroupName(groupId: string): string | undefined {
    return this.d.store.getDoc<{ GroupName: string }>(SG_KIND, groupId)?.value.GroupName;
  }

  /** Security group names (RunInstances --security-groups) to ids; an unknown name is InvalidGroup.NotFound. */
  securityGroupIdsByName(names: string[] | undefined): string[] {
    const all = this.d.store.listDocs<{ GroupId: string; GroupName: string }>(SG_KIND).map((d) => d.value);
    return (names ?? []).map((n) => all.find((g) => g.GroupName === n)?.GroupId ?? (() => {
      throw awsError('InvalidGroup.NotFound', `The security group '${n}' does not exist in default VPC '${VPC_ID}'`);
    })());
  }

  templateRecords(): ResourceRecord[] {
    return this.d.model.list('launchTemplates');
  }

  /** The record named by LaunchTemplateId or LaunchTemplateName (exactly one of them). */
  template(input: { LaunchTemplateId?: string; LaunchTemplateName?: string }): ResourceRecord {
    const { LaunchTemplateId: id, LaunchTemplateName: name } = input;
    if (id !== undefined && name !== undefined) throw combination('Specify either LaunchTemplateId or LaunchTemplateName, not both.');
    if (id !== undefined) return this.templateById(id);
    if (name === undefined) throw missing('LaunchTemplateId or LaunchTemplateName');
    const rec = this.d.model.get('launchTemplates', name);
    if (!rec) throw templateNameNotFound(name);
    return rec;
  }

  templateById(id: string): ResourceRecord {
    if (!/^lt-[0-9a-f]{17}$/.test(id)) throw templateIdMalformed(id);
    const rec = this.templateRecords().find((r) => ltId(r) === id);
    if (!rec) throw templateIdNotFound(id);
    return rec;
  }

  /** The template's versions as the Auto Scaling service launches them (synced from the effective config first). */
  stored(rec: ResourceRecord): StoredTemplate {
    const lt = this.d.model.effective.launchTemplates.find((t) => t.name === rec.name);
    if (lt) this.templates.sync([lt]);
    return this.templates.get(rec.name);
  }
}

export function ltId(rec: ResourceRecord): string {
  return 'lt-' + rec.id;
}
