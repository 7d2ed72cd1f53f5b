/** What the Auto Scaling operations need from the daemon (wired by src/daemon/aws-services.ts). */
import type { AutoScalingService } from '../../../controlplane/asg/service.js';
import type { ScalingService } from '../../../controlplane/scaling/service.js';
import type { ModelService } from '../../../resources/model.js';
import type { Zones } from '../../../resources/zones.js';

export interface AutoScalingDeps {
  model: ModelService;
  zones: Zones;
  /** The running Auto Scaling service; undefined until some group exists. */
  asg(): AutoScalingService | undefined;
  /** Alarms and scaling policies; undefined until some exist. */
  scaling(): ScalingService | undefined;
}
