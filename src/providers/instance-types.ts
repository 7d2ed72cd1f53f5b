import { ShoalError } from '../core/errors.js';

/**
 * EC2 instance types shoal knows, with vCPUs and memory exactly as AWS publishes
 * them (DescribeInstanceTypes: VCpuInfo.DefaultVCpus, MemoryInfo.SizeInMiB).
 * The process provider measures CPU% against `vcpus` and stops an instance whose
 * resident memory exceeds `memoryMiB`.
 */
export interface InstanceType {
  name: string;
  vcpus: number;
  memoryMiB: number;
}

const table: ReadonlyArray<readonly [string, number, number]> = [
  ['t2.nano', 1, 512],
  ['t2.micro', 1, 1024],
  ['t2.small', 1, 2048],
  ['t2.medium', 2, 4096],
  ['t2.large', 2, 8192],
  ['t2.xlarge', 4, 16384],
  ['t2.2xlarge', 8, 32768],
  ['t3.nano', 2, 512],
  ['t3.micro', 2, 1024],
  ['t3.small', 2, 2048],
  ['t3.medium', 2, 4096],
  ['t3.large', 2, 8192],
  ['t3.xlarge', 4, 16384],
  ['t3.2xlarge', 8, 32768],
  ['m5.large', 2, 8192],
  ['m5.xlarge', 4, 16384],
  ['m5.2xlarge', 8, 32768],
  ['m5.4xlarge', 16, 65536],
  ['c5.large', 2, 4096],
  ['c5.xlarge', 4, 8192],
  ['c5.2xlarge', 8, 16384],
];

export const instanceTypes: ReadonlyMap<string, InstanceType> = new Map(
  table.map(([name, vcpus, memoryMiB]) => [name, { name, vcpus, memoryMiB }]),
);

/** Looks up an instance type; unknown names fail with AWS's error code. */
export function instanceType(name: string): InstanceType {
  const t = instanceTypes.get(name);
  if (!t) {
    throw new ShoalError(
      'InvalidParameterValue',
      `Invalid value '${name}' for InstanceType: shoal knows ${[...instanceTypes.keys()].join(', ')}`,
    );
  }
  return t;
}
