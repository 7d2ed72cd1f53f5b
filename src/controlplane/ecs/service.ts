/**
 * The ECS side of the daemon: the services of the effective config, run by
 * their internal groups (config/normalize-ecs.ts), their deployments moved on
 * at each config change and once a second (deployments.ts), and the runtime
 * the views read (view.ts): a service's group state, activities and tasks.
 *
 * API
 *   sync(config)              after the Auto Scaling service synced the same config
 *   runtime(service)          what describeService / describeTask read
 *   stopTask(taskId, reason)  StopTask: the task's instance is terminated; the service launches a replacement
 *   stop()
 */
import type { Clock, Timer } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { ShoalConfig } from '../../model/config.js';
import { serviceGroupName, type Service } from '../../model/ecs.js';
import type { AutoScalingService } from '../asg/service.js';
import { terminateInstance } from '../asg/ops.js';
import { deployServices } from './deployments.js';
import { instanceIdOfTask, type ServiceRuntime } from './view.js';

export class EcsService {
  private services: readonly Service[] = [];
  private timer: Timer | undefined;

  constructor(private readonly o: { clock: Clock; log: Logger; asg: () => AutoScalingService | undefined }) {}

  sync(config: Pick<ShoalConfig, 'services'>): void {
    this.services = config.services;
    this.check();
    if (this.services.length > 0) this.timer ??= this.o.clock.every(1000, () => this.check());
  }

  runtime(svc: Service): ServiceRuntime {
    const asg = this.o.asg();
    const g = asg?.group(serviceGroupName(svc.cluster, svc.name));
    const observed = [...(asg?.observed.values() ?? [])].filter((x) => x.tags['ecs:service'] === svc.name && x.tags['ecs:cluster'] === svc.cluster);
    return { state: g?.state, activities: g && asg ? asg.activities.list(g.state, 100) : [], observed };
  }

  /** StopTask. Throws the Auto Scaling service's error for an unknown or already stopped task. */
  stopTask(taskId: string, reason: string): string {
    const asg = this.o.asg();
    const id = instanceIdOfTask(taskId);
    if (!asg) throw new Error(`The task ${taskId} does not exist`);
    terminateInstance(asg, id, false);
    this.o.log.info({ task: taskId, reason }, 'task stopped by request');
    return id;
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private check(): void {
    const asg = this.o.asg();
    if (!asg || this.services.length === 0) return;
    try {
      for (const line of deployServices(this.services, asg)) this.o.log.info({}, line);
    } catch (err) {
      this.o.log.warn({ err: errorMessage(err) }, 'a service deployment step failed');
    }
  }
}
