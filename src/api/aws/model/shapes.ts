/**
 * AWS's API models (botocore's service-2.json, trimmed: ../models/*.json) as
 * the protocol codecs read them: shapes by name, each member's wire names
 * and traits. Only what the codecs use is typed.
 */
import autoscaling from '../models/autoscaling.json' with { type: 'json' };
import cloudwatch from '../models/cloudwatch.json' with { type: 'json' };
import ec2 from '../models/ec2.json' with { type: 'json' };
import ecs from '../models/ecs.json' with { type: 'json' };
import elbv2 from '../models/elbv2.json' with { type: 'json' };

export interface MemberRef {
  shape: string;
  locationName?: string;
  queryName?: string;
  flattened?: boolean;
  xmlNamespace?: unknown;
}

export interface Shape {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'boolean' | 'timestamp' | 'blob' | 'double' | 'float';
  members?: Record<string, MemberRef>;
  required?: string[];
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  flattened?: boolean;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  timestampFormat?: string;
  locationName?: string;
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
  exception?: boolean;
}

export interface OperationModel {
  name: string;
  input?: { shape: string };
  output?: { shape: string; resultWrapper?: string };
  errors?: { shape: string }[];
}

export interface ServiceModel {
  source: string;
  metadata: {
    apiVersion: string;
    protocol: string;
    protocols?: string[];
    xmlNamespace?: string;
    targetPrefix?: string;
    jsonVersion?: string;
    /** Present on JSON services that keep their query protocol's error codes (CloudWatch). */
    awsQueryCompatible?: object;
    endpointPrefix: string;
    signingName?: string;
    serviceId: string;
  };
  allOperations: string[];
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

export type ServiceName = 'elbv2' | 'autoscaling' | 'ec2' | 'cloudwatch' | 'ecs';

export const MODELS: Record<ServiceName, ServiceModel> = {
  elbv2: elbv2 as unknown as ServiceModel,
  autoscaling: autoscaling as unknown as ServiceModel,
  ec2: ec2 as unknown as ServiceModel,
  cloudwatch: cloudwatch as unknown as ServiceModel,
  ecs: ecs as unknown as ServiceModel,
};

export function shapeOf(model: ServiceModel, name: string): Shape {
  const s = model.shapes[name];
  if (s === undefined) throw new Error(`${model.metadata.serviceId}: no shape ${name}`);
  return s;
}
