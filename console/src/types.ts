// The shapes of the /_shoal/ answers the console reads (the fields it uses).

export interface StatusRule { priority: number | 'default'; matches: string; action: string }
export interface Status {
  loadBalancers: Array<{ name: string; type: string; owner: string; listeners: Array<{ address: string; protocol: string; rules: StatusRule[] }> }>;
  targetGroups: Array<{ name: string; owner: string; protocol: string; port: number; targets: Array<{ target: string; state: string; reason?: string; description?: string }> }>;
  autoScalingGroups: Array<{
    name: string; owner: string; minSize: number; maxSize: number; desiredCapacity: number; inService: number; status: string[];
    instances: Array<{ instanceId: string; zone: string; lifecycleState: string; healthStatus: string; target?: string; targetHealth?: string }>;
  }>;
  snapshotVersion: number;
}

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
