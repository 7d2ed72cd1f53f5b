/** The whole config file: api, data plane, state dir, zones and the resource lists. */
import { isIP } from 'node:net';
import { z } from 'zod';
import { alarmSchema } from './schema-alarms.js';
import { autoScalingGroupSchema, launchTemplateSchema } from './schema-auto-scaling.js';
import { checked, list, str, strictObject } from './schema-common.js';
import { loadBalancerSchema } from './schema-load-balancer.js';
import { targetGroupSchema } from './schema-target-group.js';
import { zoneSchema } from './schema-zones.js';
import { clusterSchema, serviceSchema, taskDefinitionSchema } from './schema-ecs.js';

export const DEFAULT_API_LISTEN = '127.0.0.1:4566';

/** "127.0.0.1:4566", "localhost:4566", "[::1]:4566" → { host, port }. */
export function parseHostPort(v: unknown): { host: string; port: number } | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(v);
  if (!m) return undefined;
  const host = m[1] ?? m[2]!;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  if (m[1] !== undefined && isIP(host) !== 6) return undefined;
  if (m[2] !== undefined && isIP(host) !== 4 && !/^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(host)) return undefined;
  return { host, port };
}

const listen = checked('must be host:port, e.g. 127.0.0.1:4566 or [::1]:4566 (port 1 to 65535)', (v) =>
  parseHostPort(v) ? (v as string) : undefined);

const workers = checked<number | 'auto'>('must be "auto" or an integer from 1 to 1024', (v) =>
  v === 'auto' || (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 1024) ? v : undefined);

/** api.allowedHosts: a name the API is reached through ("shoal.lan"), optionally with the port the client uses ("shoal.example.com:443"). */
const allowedHost = checked('must be a host name or IP, optionally with :port (e.g. shoal.lan or shoal.example.com:443)', (v) =>
  typeof v === 'string' && (/^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(v) || parseHostPort(v) || isIP(v) !== 0) ? v : undefined);

const credentials = strictObject({ accessKeyId: str({ max: 128 }), secretAccessKey: str({ max: 128 }) });

export const configSchema = strictObject({
  api: strictObject({
    listen: listen.default(DEFAULT_API_LISTEN),
    credentials: list(credentials, { min: 1, noun: 'credentials' }).default([{ accessKeyId: 'test', secretAccessKey: 'test' }]),
    allowedHosts: list(allowedHost, { max: 100, noun: 'host names' }).default([]),
    allowUnsigned: z.boolean().default(false),
    /** GET /metrics (docs/metrics.md "Prometheus"); public: no credentials needed (the Host and Origin checks still apply). */
    metrics: strictObject({ public: z.boolean().default(false) }).default({}),
  }).default({}),
  dataPlane: strictObject({ workers: workers.default('auto') }).default({}),
  stateDir: str({ what: 'a directory path' }).default('.shoal'),
  zones: list(zoneSchema, { noun: 'zones' }).default([]),
  loadBalancers: list(loadBalancerSchema, { noun: 'load balancers' }).default([]),
  targetGroups: list(targetGroupSchema, { noun: 'target groups' }).default([]),
  launchTemplates: list(launchTemplateSchema, { noun: 'launch templates' }).default([]),
  autoScalingGroups: list(autoScalingGroupSchema, { noun: 'Auto Scaling groups' }).default([]),
  alarms: list(alarmSchema, { noun: 'alarms' }).default([]),
  clusters: list(clusterSchema, { noun: 'clusters' }).default([]),
  taskDefinitions: list(taskDefinitionSchema, { noun: 'task definitions' }).default([]),
  services: list(serviceSchema, { noun: 'services' }).default([]),
});

export type ConfigInput = z.output<typeof configSchema>;
