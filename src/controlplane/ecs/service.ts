/**
 * The ECS side of the daemon: the services of the effective config, run by
 * their internal groups (config/normalize-ecs.ts), their deployments moved on
 * at each config change and once a second (deployments.ts), and the runtime
 * the views read (view.ts): a service's group state, activities and tasks.
 *
 * API
 *   sync(config)              after the Auto Scaling service synced the same config
 *   runtime(service)          what describeService / describeTask read
 *   services(region) / tasks(region, filter) / clusters(region)   the views, ECS's shapes
 *   stopTask(taskId, reason)  StopTask: the task's instance is terminated; the service launches a replacement
 *   stop()
 */
import type { Clock, Timer } from '../../core/clock.js';
import { errorMessage, ShoalError } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { ShoalConfig } from '../../model/config.js';
import { serviceGroupName, type Service, type TaskDefinition } from '../../model/ecs.js';
import type { AutoScalingService } from '../asg/service.js';
import { terminateInstance } from '../asg/ops.js';
import { deployServices } from './deployments.js';
import { describeCluster, describeService, describeTask, ecsArns, instanceIdOfTask, serviceTasks, type ServiceRuntime } from './view.js';

type Obj = Record<string, unknown>;
type EcsConfig = Pick<ShoalConfig, 'services' | 'taskDefinitions' | 'clusters'>;

export class EcsService {
  private config: EcsConfig = { services: [], taskDefinitions: [], clusters: [] };
  private timer: Timer | undefined;

  /** `createdAt`: when the service's record was made (the model's), for DescribeServices. */
  constructor(private readonly o: { clock: Clock; log: Logger; asg: () => AutoScalingService | undefined; createdAt?: (service: string) => number | undefined }) {}

  private get services(): readonly Service[] {
    return this.config.services;
  }

  sync(config: EcsConfig): void {
    this.config = { services: config.services, taskDefinitions: config.taskDefinitions, clusters: config.clusters };
    this.check();
    if (this.services.length > 0) this.timer ??= this.o.clock.every(1000, () => this.check());
  }

  runtime(svc: Service): ServiceRuntime {
    const asg = this.o.asg();
    const g = asg?.group(serviceGroupName(svc.cluster, svc.name));
    const observed = [...(asg?.observed.values() ?? [])].filter((x) => x.tags['ecs:service'] === svc.name && x.tags['ecs:cluster'] === svc.cluster);
    return { state: g?.state, activities: g && asg ? asg.activities.list(g.state, 100) : [], observed };
  }

  taskDefinitions(): readonly TaskDefinition[] {
    return this.config.taskDefinitions;
  }

  /** DescribeServices of the named services (default all), in the config's order. */
  describeServices(region: string, names?: readonly string[]): Obj[] {
    const arns = ecsArns(region);
    return this.services.filter((s) => !names || names.includes(s.name))
      .map((s) => describeService(arns, s, this.runtime(s), { createdAt: this.o.createdAt?.(s.name) ?? 0 }));
  }

  /** DescribeTasks of every task (running, and stopped within the hour) of the services that pass `filter`. */
  describeTasks(region: string, filter: (s: Service) => boolean = () => true): Obj[] {
    const arns = ecsArns(region);
    return this.services.filter(filter).flatMap((s) => {
      const family = this.config.taskDefinitions.find((t) => t.family === s.taskDefinition.family);
      return serviceTasks(this.runtime(s)).map(({ obs, rec }) => describeTask(arns, s, family, obs, rec));
    });
  }

  describeClusters(region: string): Obj[] {
    const arns = ecsArns(region);
    return this.config.clusters.map((c) => {
      const tasks = this.describeTasks(region, (s) => s.cluster === c.name);
      return describeCluster(arns, c, this.services, tasks.filter((t) => t.lastStatus === 'RUNNING').length, tasks.filter((t) => t.lastStatus === 'PENDING').length);
    });
  }

  /** StopTask. Throws the Auto Scaling service's error for an unknown or already stopped task. */
  stopTask(taskId: string, reason: string): string {
    const asg = this.o.asg();
    const id = instanceIdOfTask(taskId);
    if (!asg) throw new ShoalError('InvalidParameterException', `The referenced task was not found: ${taskId}`, 400);
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
