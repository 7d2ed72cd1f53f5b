// The shapes of the /_shoal/ answers the console reads (the fields it uses).

// The status tree is the daemon's own type (type-only: nothing of the daemon is bundled).
export type { StatusTree as Status, StatusRule } from '../../src/controlplane/status.js';

export interface TargetHealthDescription {
  target: { id: string; port?: number; availabilityZone?: string };
  targetHealth: { state: string; reason?: string; description?: string };
}

export interface GroupInstance {
  InstanceId: string; AvailabilityZone: string; LifecycleState: string; HealthStatus: string; ProtectedFromScaleIn: boolean;
  LaunchTemplate: { LaunchTemplateName: string; Version: string };
  PrivateIpAddress?: string; Target?: string; InstanceState?: string; BootStatus?: string; TargetHealth?: string; Reason?: string;
}

export interface Group {
  AutoScalingGroupName: string; MinSize: number; MaxSize: number; DesiredCapacity: number; Status: string[];
  Instances: GroupInstance[]; TargetGroupNames?: string[]; [k: string]: unknown;
}

export interface Activity { ActivityId: string; StartTime: string; EndTime?: string; StatusCode: string; Description: string; Cause: string; StatusMessage?: string }

export interface Alarm {
  AlarmName: string; StateValue: string; StateReason?: string; MetricName: string; Namespace: string; Statistic?: string;
  Period: number; Threshold: number; ComparisonOperator: string; Dimensions?: Array<{ Name: string; Value: string }>;
}

export interface Datapoint { Timestamp: string; Value: number }

/** GET /_shoal/launch-templates: each template with its versions. */
export interface LaunchTemplate {
  name: string; launchTemplateId: string; defaultVersion: number;
  versions: Array<{ versionNumber: number; createdAt: number; source: 'config' | 'api'; description?: string;
    data: { imageId: string; instanceType: string; userData: string; environment: Record<string, string>; tags: Record<string, string>; portMode?: string } }>;
}
