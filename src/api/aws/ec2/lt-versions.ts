/**
 * Launch template versions. CreateLaunchTemplateVersion on an API-owned
 * template appends a version to the model record (validated like a config);
 * on a file-owned one it adds a runtime version after the file's (as
 * `shoal create-launch-template-version` does), which a reload keeps unless
 * the file grows to claim its number.
 */
import { resolveVersion, type StoredTemplate, type StoredVersion } from '../../../controlplane/images/launch-templates.js';
import type { LaunchTemplateVersion } from '../../../model/auto-scaling.js';
import type { ResourceRecord } from '../../../resources/records.js';
import { required, type Input, type Operations } from '../common/op.js';
import { ltId, type Ec2Context } from './context.js';
import { missing, versionNotFound } from './errors.js';
import { toData, toVersion } from './lt-data.js';
import { CREATED_BY, setVersionMeta, versionMeta } from './launch-templates.js';
import { checkFilters, matches, tokenPage } from './paging.js';

export function versionView(rec: ResourceRecord, t: StoredTemplate, v: StoredVersion): Record<string, unknown> {
  const m = versionMeta(rec, v.versionNumber);
  const description = m.description ?? v.description;
  return {
    LaunchTemplateId: ltId(rec),
    LaunchTemplateName: rec.name,
    VersionNumber: v.versionNumber,
    ...(description ? { VersionDescription: description } : {}),
    CreateTime: new Date(v.createdAt),
    CreatedBy: CREATED_BY,
    DefaultVersion: v.versionNumber === t.defaultVersion,
    LaunchTemplateData: toData(v.data, m.extras),
  };
}

function resolve(rec: ResourceRecord, t: StoredTemplate, ref: string): StoredVersion {
  try {
    return resolveVersion(t, ref as never);
  } catch {
    throw versionNotFound(ref, rec.name);
  }
}

export function versionOps(ctx: Ec2Context): Operations {
  return {
    async CreateLaunchTemplateVersion(input) {
      const rec = ctx.template(input);
      const data = required<Input>(input, 'LaunchTemplateData');
      const before = ctx.stored(rec);
      const base = input.SourceVersion !== undefined ? resolve(rec, before, String(input.SourceVersion)).data : undefined;
      const { version, extras } = toVersion(ctx, data, base);
      const n = rec.owner.kind === 'api' ? await appendToRecord(ctx, rec, version) : runtimeVersion(ctx, rec, version as unknown as LaunchTemplateVersion);
      setVersionMeta(ctx, rec.name, n, { ...(input.VersionDescription ? { description: input.VersionDescription } : {}), extras });
      ctx.d.autoScaling()?.poke();
      const fresh = ctx.d.model.get('launchTemplates', rec.name)!;
      const t = ctx.stored(fresh);
      return { LaunchTemplateVersion: versionView(fresh, t, resolve(fresh, t, String(n))) };
    },

    DescribeLaunchTemplateVersions(input) {
      const filters = checkFilters(input.Filters, ['is-default-version', 'image-id', 'instance-type']);
      const given = input.LaunchTemplateId !== undefined || input.LaunchTemplateName !== undefined;
      if (!given && input.Versions !== undefined) throw missing('LaunchTemplateId or LaunchTemplateName');
      const recs = given ? [ctx.template(input)] : ctx.templateRecords();
      const out: Record<string, unknown>[] = [];
      for (const rec of recs) {
        const t = ctx.stored(rec);
        for (const v of pick(rec, t, input)) {
          const vals = (f: string) => f === 'is-default-version' ? [String(v.versionNumber === t.defaultVersion)]
            : f === 'image-id' ? [v.data.imageId] : [v.data.instanceType];
          if (matches(filters, vals)) out.push(versionView(rec, t, v));
        }
      }
      const { items, NextToken } = tokenPage(out, input, [1, 200]);
      return { LaunchTemplateVersions: items, ...(NextToken ? { NextToken } : {}) };
    },
  };
}

/** Versions asked for ($Latest, $Default, numbers), else those within MinVersion..MaxVersion, newest first as EC2 lists them. */
function pick(rec: ResourceRecord, t: StoredTemplate, input: Input): StoredVersion[] {
  if (input.Versions) return (input.Versions as string[]).map((ref) => resolve(rec, t, ref));
  const min = input.MinVersion !== undefined ? Number(input.MinVersion) : -Infinity;
  const max = input.MaxVersion !== undefined ? Number(input.MaxVersion) : Infinity;
  return t.versions.filter((v) => v.versionNumber >= min && v.versionNumber <= max).sort((a, b) => b.versionNumber - a.versionNumber);
}

async function appendToRecord(ctx: Ec2Context, rec: ResourceRecord, version: Record<string, unknown>): Promise<number> {
  const updated = await ctx.d.model.update('launchTemplates', rec.name, (raw) => ({ ...raw, versions: [...(raw.versions as unknown[]), version] }));
  return (updated.raw.versions as unknown[]).length;
}

function runtimeVersion(ctx: Ec2Context, rec: ResourceRecord, version: LaunchTemplateVersion): number {
  const data = { ...version, portMode: version.portMode ?? 'host' } as LaunchTemplateVersion;
  return ctx.templates.createVersion(rec.name, { data }).versionNumber;
}
