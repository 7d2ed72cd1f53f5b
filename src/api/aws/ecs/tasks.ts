/**
 * ListTasks, DescribeTasks, StopTask. A service's tasks are its internal
 * group's instances, running and recently stopped (the provider keeps
 * terminated instances an hour: controlplane/ecs/view.ts); shoal runs no
 * standalone tasks (RunTask, StartTask) and has no container instances.
 * A task StopTask stopped shows its reason and stopCode UserInitiated.
 */
import type { Service } from '../../../model/ecs.js';
import { describeTask, serviceTasks, taskId } from '../../../controlplane/ecs/view.js';
import type { Operations } from '../common/op.js';
import type { EcsDeps } from './deps.js';
import { invalidParameter, pageOf } from './errors.js';
import { EcsRefs, taskIdOf } from './refs.js';

type Obj = Record<string, unknown>;

export interface TaskView {
  id: string;
  service: Service;
  task: Obj;
}

/** The tasks of `services`, as DescribeTasks shows them. */
export function tasksOf(r: EcsRefs, services: readonly Service[]): TaskView[] {
  return services.flatMap((svc) => {
    const family = r.family(svc.taskDefinition.family);
    return serviceTasks(r.d.ecs.runtime(svc)).map(({ obs, rec }) => ({ id: taskId(obs.instanceId), service: svc, task: describeTask(r.arns, svc, family, obs, rec) }));
  });
}

/** DescribeClusters' runningTasksCount and pendingTasksCount of one service. */
export function serviceCounts(r: EcsRefs, svc: Service): { running: number; pending: number } {
  const tasks = tasksOf(r, [svc]);
  return {
    running: tasks.filter((t) => t.task.lastStatus === 'RUNNING').length,
    pending: tasks.filter((t) => t.task.lastStatus === 'PENDING').length,
  };
}

/** How many StopTask reasons are kept (by task id) to show as stoppedReason. */
const KEEP_REASONS = 1000;

export function taskOps(d: EcsDeps): Operations {
  // StopTask's reason and code, which the group's termination does not carry; lost on restart.
  const reasons = new Map<string, string>();
  const shown = (t: TaskView): Obj => {
    const reason = reasons.get(t.id);
    return reason === undefined || t.task.desiredStatus !== 'STOPPED' ? t.task : { ...t.task, stopCode: 'UserInitiated', stoppedReason: reason };
  };
  return {
    ListTasks(input, ctx) {
      const r = new EcsRefs(d, ctx.region);
      const cluster = r.cluster(input.cluster).name;
      const services = input.serviceName !== undefined ? [r.service(cluster, input.serviceName)] : r.services(cluster);
      const desired: string = input.desiredStatus ?? 'RUNNING';
      const tasks = input.containerInstance !== undefined ? [] : tasksOf(r, services).filter((t) =>
        t.task.desiredStatus === desired
        && (input.family === undefined || t.service.taskDefinition.family === input.family)
        && (input.launchType === undefined || t.service.launchType === input.launchType)
        && (input.startedBy === undefined || t.task.startedBy === input.startedBy));
      const p = pageOf(tasks.map((t) => t.task.taskArn as string), 'ListTasks', input);
      return { taskArns: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) };
    },

    DescribeTasks(input, ctx) {
      const r = new EcsRefs(d, ctx.region);
      const cluster = r.cluster(input.cluster).name;
      const all = tasksOf(r, r.services(cluster));
      const tasks: Obj[] = [];
      const failures: Obj[] = [];
      for (const ref of input.tasks as string[]) {
        const found = all.find((t) => t.id === taskIdOf(ref));
        if (found) tasks.push(shown(found));
        else failures.push({ arn: ref.startsWith('arn:') ? ref : r.arns.task(cluster, ref), reason: 'MISSING' });
      }
      return { tasks, failures };
    },

    StopTask(input, ctx) {
      const r = new EcsRefs(d, ctx.region);
      const cluster = r.cluster(input.cluster).name;
      const id = taskIdOf(input.task);
      const find = () => tasksOf(r, r.services(cluster)).find((t) => t.id === id);
      const found = find();
      if (!found) throw invalidParameter(`The referenced task was not found: ${input.task}. ListTasks shows the cluster's tasks.`);
      if (found.task.desiredStatus === 'STOPPED') return { task: shown(found) };
      const reason: string = input.reason ?? 'Task stopped by user';
      d.ecs.stopTask(id, reason);
      reasons.set(id, reason);
      for (const k of [...reasons.keys()].slice(0, Math.max(0, reasons.size - KEEP_REASONS))) reasons.delete(k);
      return { task: shown(find() ?? found) };
    },
  };
}
