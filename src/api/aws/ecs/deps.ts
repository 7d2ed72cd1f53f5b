/** What the ECS operations need from the daemon (wired by src/daemon/aws-services.ts). */
import type { Clock } from '../../../core/clock.js';
import type { EcsService } from '../../../controlplane/ecs/service.js';
import type { ModelService } from '../../../resources/model.js';

export interface EcsDeps {
  /** Clusters, task definitions and services are model records (kinds clusters, taskDefinitions, services), as in the config file. */
  model: ModelService;
  /** The running services: their tasks, deployments and events; StopTask. */
  ecs: Pick<EcsService, 'runtime' | 'stopTask'>;
  /** When a task definition revision was registered (DescribeTaskDefinition's registeredAt). */
  clock: Clock;
}
