/**
 * Launch templates: Create / Describe / Modify / Delete. A template is a
 * model record (config form: { name, versions, defaultVersion }); its lt- id
 * is the record's id. What EC2 shows that the config has no field for (a
 * version's description, SecurityGroupIds, KeyName) is in the record's meta.
 */
import type { StoredTemplate } from '../../../controlplane/images/launch-templates.js';
import type { ResourceRecord } from '../../../resources/records.js';
import { ACCOUNT_ID, required, tagList, type Input, type Operations } from '../common/op.js';
import { ltId, type Ec2Context } from './context.js';
import { modelErrors, templateNameNotFound, versionNotFound } from './errors.js';
import { specTags, toVersion, type Extras } from './lt-data.js';
import { checkFilters, matches, requireFound, tokenPage } from './paging.js';

export interface VersionMeta {
  description?: string;
  extras?: Extras;
}

export const CREATED_BY = `arn:aws:iam::${ACCOUNT_ID}:root`;

export function versionMeta(rec: ResourceRecord, n: number): VersionMeta {
  const all = (rec.meta?.versions ?? {}) as Record<string, VersionMeta>;
  return all[String(n)] ?? {};
}

/** Stores a version's description and extras in the record's meta (any owner). */
export function setVersionMeta(ctx: Ec2Context, name: string, n: number, m: VersionMeta): void {
  if (m.description === undefined && (m.extras === undefined || Object.keys(m.extras).length === 0)) return;
  ctx.d.model.annotate('launchTemplates', name, (r) => {
    const versions = { ...((r.meta?.versions ?? {}) as Record<string, VersionMeta>), [String(n)]: m };
    return { tags: r.tags, meta: { ...r.meta, versions } };
  });
}

export function templateView(rec: ResourceRecord, t: StoredTemplate): Record<string, unknown> {
  return {
    LaunchTemplateId: ltId(rec),
    LaunchTemplateName: rec.name,
    CreateTime: new Date(rec.createdAt),
    CreatedBy: CREATED_BY,
    DefaultVersionNumber: t.defaultVersion,
    LatestVersionNumber: Math.max(...t.versions.map((v) => v.versionNumber)),
    Tags: tagList(rec.tags),
  };
}

export function launchTemplateOps(ctx: Ec2Context): Operations {
  const view = (rec: ResourceRecord) => templateView(rec, ctx.stored(rec));
  return {
    async CreateLaunchTemplate(input) {
      const name = required<string>(input, 'LaunchTemplateName');
      const data = required<Input>(input, 'LaunchTemplateData');
      const { version, extras } = toVersion(ctx, data);
      const tags = specTags(input.TagSpecifications, 'launch-template');
      const raw = { name, versions: [version], defaultVersion: 1 };
      await modelErrors(() => ctx.d.model.create('launchTemplates', raw, tags), 'InvalidLaunchTemplateName.AlreadyExistsException');
      setVersionMeta(ctx, name, 1, { ...(input.VersionDescription ? { description: input.VersionDescription } : {}), extras });
      return { LaunchTemplate: view(ctx.d.model.get('launchTemplates', name)!) };
    },

    DescribeLaunchTemplates(input) {
      const filters = checkFilters(input.Filters, ['launch-template-name', 'create-time']);
      let recs = ctx.templateRecords();
      const names = input.LaunchTemplateNames as string[] | undefined;
      const ids = input.LaunchTemplateIds as string[] | undefined;
      if (names) requireFound(names, new Set(recs.map((r) => r.name)), templateNameNotFound);
      if (ids) for (const id of ids) ctx.templateById(id);
      recs = recs.filter((r) => (!names || names.includes(r.name)) && (!ids || ids.includes(ltId(r))));
      recs = recs.filter((r) => matches(filters, (f) => (f === 'launch-template-name' ? [r.name] : [new Date(r.createdAt).toISOString()]), r.tags));
      const { items, NextToken } = tokenPage(recs, input, [1, 200]);
      return { LaunchTemplates: items.map(view), ...(NextToken ? { NextToken } : {}) };
    },

    async ModifyLaunchTemplate(input) {
      const rec = ctx.template(input);
      if (input.DefaultVersion !== undefined) await setDefault(ctx, rec, String(input.DefaultVersion));
      return { LaunchTemplate: view(ctx.d.model.get('launchTemplates', rec.name)!) };
    },

    async DeleteLaunchTemplate(input) {
      const rec = ctx.template(input);
      const shown = view(rec);
      await ctx.d.model.remove('launchTemplates', rec.name);
      ctx.templates.delete(rec.name);
      return { LaunchTemplate: shown };
    },
  };
}

/**
 * The default version: on an API-owned template a model update; on a
 * file-owned one a runtime setting (as its runtime versions are), kept over
 * reloads until the file's own defaultVersion changes.
 */
async function setDefault(ctx: Ec2Context, rec: ResourceRecord, version: string): Promise<void> {
  const t = ctx.stored(rec);
  const n = Number(version);
  if (!/^\d+$/.test(version) || !t.versions.some((v) => v.versionNumber === n)) throw versionNotFound(version, rec.name);
  if (rec.owner.kind === 'api') {
    await ctx.d.model.update('launchTemplates', rec.name, (raw) => ({ ...raw, defaultVersion: n }));
  } else {
    const configDefault = ctx.d.model.effective.launchTemplates.find((l) => l.name === rec.name)?.defaultVersion ?? 1;
    ctx.templates.setDefault(rec.name, n, configDefault);
  }
  ctx.d.autoScaling()?.poke();
}
