/** What the EC2 operations need from the daemon (wired by the composition root). */
import type { Clock } from '../../../core/clock.js';
import type { Random } from '../../../core/random.js';
import type { AutoScalingService } from '../../../controlplane/asg/service.js';
import type { StandaloneInstances } from '../../../controlplane/instances/standalone.js';
import type { ModelService } from '../../../resources/model.js';
import type { Zones } from '../../../resources/zones.js';
import type { Store } from '../../../store/index.js';

export interface Ec2Deps {
  model: ModelService;
  zones: Zones;
  /** Security groups and EC2-side tags (instances, images) live here; images and launch template versions are read from it. */
  store: Store;
  clock: Clock;
  random: Random;
  /** Where create-image copies go (stateDir/images/). */
  stateDir: string;
  /** The Auto Scaling service if it runs (groups' instances, their provider). */
  autoScaling(): AutoScalingService | undefined;
  /**
   * The Auto Scaling service, started if it does not run yet: RunInstances on a
   * daemon whose config has no groups still needs the provider it owns.
   */
  ensureAutoScaling(): Promise<AutoScalingService>;
  /** Standalone (RunInstances) instances, over the same store and provider. */
  instances: StandaloneInstances;
}
