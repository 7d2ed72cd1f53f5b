/**
 * Images: CreateImage copies an instance's working directory (the process
 * provider's working copy) into a new image; DescribeImages lists the config's
 * image directories, the create-image images and the built-in shoal/hello.
 * Every image belongs to shoal's one account and is `available` at once.
 */
import { join } from 'node:path';
import type { ImageRecord } from '../../../controlplane/images/images.js';
import { instanceDir } from '../../../providers/process/meta.js';
import { ACCOUNT_ID, required, tagList, type Operations } from '../common/op.js';
import type { Ec2Context } from './context.js';
import { imageNotFound, instanceNotFound } from './errors.js';
import { specTags } from './lt-data.js';
import { checkFilters, matches, requireFound, tokenPage } from './paging.js';

const ARCH = process.arch === 'arm64' ? 'arm64' : 'x86_64';

export function imageView(ctx: Ec2Context, r: ImageRecord): Record<string, unknown> {
  return {
    ImageId: r.imageId,
    ImageLocation: r.location,
    State: 'available',
    OwnerId: ACCOUNT_ID,
    ...(r.source === 'builtin' ? { ImageOwnerAlias: 'shoal' } : {}),
    CreationDate: new Date(r.createdAt).toISOString(),
    Public: r.source === 'builtin',
    Architecture: ARCH,
    ImageType: 'machine',
    Name: r.name,
    ...(r.description ? { Description: r.description } : {}),
    PlatformDetails: 'Linux/UNIX',
    RootDeviceType: 'instance-store',
    VirtualizationType: 'hvm',
    Hypervisor: 'xen',
    ...(r.sourceInstanceId ? { SourceInstanceId: r.sourceInstanceId } : {}),
    Tags: tagList(ctx.tags(r.imageId)),
  };
}

const FILTERS = ['image-id', 'name', 'state', 'owner-id', 'owner-alias', 'is-public', 'architecture', 'image-type', 'description'];

export function imageOps(ctx: Ec2Context): Operations {
  return {
    DescribeImages(input) {
      const filters = checkFilters(input.Filters, FILTERS);
      let all = ctx.images.list().sort((a, b) => a.createdAt - b.createdAt || (a.imageId < b.imageId ? -1 : 1));
      const ids = input.ImageIds as string[] | undefined;
      requireFound(ids, new Set(all.map((i) => i.imageId)), imageNotFound);
      const owners = input.Owners as string[] | undefined;
      all = all.filter((i) => (!ids || ids.includes(i.imageId)) && (!owners || owners.some((o) => ownedBy(i, o))));
      const views = all.map((i) => imageView(ctx, i)).filter((v) => matches(filters, (f) => values(v, f), ctx.tags(v.ImageId as string)));
      const { items, NextToken } = tokenPage(views, input, [1, 1000]);
      return { Images: items, ...(NextToken ? { NextToken } : {}) };
    },

    async CreateImage(input) {
      const instanceId = required<string>(input, 'InstanceId');
      const name = required<string>(input, 'Name');
      const svc = await ctx.d.ensureAutoScaling();
      const obs = await svc.provider.describe(instanceId);
      if (!obs || obs.state === 'terminated') throw instanceNotFound(instanceId);
      const workingDir = join(instanceDir(svc.stateDir, instanceId), 'dir'); // the process provider's working copy
      const rec = svc.images.createFromDirectory({ workingDir, name, instanceId, ...(input.Description ? { description: input.Description } : {}) });
      const tags = specTags(input.TagSpecifications, 'image');
      if (Object.keys(tags).length > 0) ctx.addTags(rec.imageId, tags);
      return { ImageId: rec.imageId };
    },
  };
}

function ownedBy(i: ImageRecord, owner: string): boolean {
  if (owner === 'self' || owner === ACCOUNT_ID) return true;
  return owner === 'shoal' && i.source === 'builtin';
}

function values(v: Record<string, unknown>, f: string): string[] {
  const key: Record<string, string> = {
    'image-id': 'ImageId', name: 'Name', state: 'State', 'owner-id': 'OwnerId', 'owner-alias': 'ImageOwnerAlias',
    'is-public': 'Public', architecture: 'Architecture', 'image-type': 'ImageType', description: 'Description',
  };
  const x = v[key[f]!];
  return x === undefined ? [] : [String(x)];
}
