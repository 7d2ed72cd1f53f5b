/** What the ASG controller needs from the rest of the daemon (an interface, so tests pass fakes). */
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/log.js';
import type { Random } from '../../core/random.js';
import type { Target, TargetHealthDescription } from '../../model/target-group.js';
import type { Provider } from '../../providers/provider.js';
import type { Store } from '../../store/index.js';
import type { ImageCatalog } from '../images/images.js';
import type { LaunchTemplates } from '../images/launch-templates.js';
import type { ActivityLog } from './activity.js';
import type { AlarmState } from './plan-types.js';

/** The daemon's target groups, as the ASG uses them. */
export interface TargetGroups {
  register(group: string, targets: Target[], source: string): void;
  deregister(group: string, targets: Pick<Target, 'id' | 'port'>[]): void;
  health(group: string): TargetHealthDescription[] | undefined;
  /** The target is deregistered but still draining in-flight requests. */
  draining(group: string, target: Pick<Target, 'id' | 'port'>): boolean;
  deregistrationDelaySeconds(group: string): number;
  /** Runtime registrations of a target group with their source ('asg:NAME' for a group's instances). */
  registrations(group: string): (Pick<Target, 'id' | 'port'> & { source: string })[];
  /** The group's traffic port, or undefined for an undeclared group. */
  port(group: string): number | undefined;
}

export interface ControllerDeps {
  store: Store;
  clock: Clock;
  random: Random;
  log: Logger;
  provider: Provider;
  images: ImageCatalog;
  templates: LaunchTemplates;
  targets: TargetGroups;
  activities: ActivityLog;
  /** Subnet index of a zone (stable: zone-a is always 127.0.1.0/24 on this state dir). */
  zoneIndex(zone: string): number;
  /** SIGTERM, then SIGKILL after this long. Default 30 s. */
  stopTimeoutMs: number;
  /** Ask for another pass soon (a background step finished). */
  poke(): void;
  /** A CloudWatch-style alarm's state, for instance refreshes' alarm specifications (set once alarms exist). */
  alarmState?: (name: string) => AlarmState;
}
