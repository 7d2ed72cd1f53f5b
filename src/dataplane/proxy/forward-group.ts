/**
 * Which target group a forward action sends a request to: by weight, or the
 * client's earlier one when the action has target group stickiness (AWSALBTG)
 * and that group still has a weight above 0. Shared by the HTTP/1 engine and
 * the HTTP/2 front end; called per forwarded request.
 */
import type { ForwardAction } from '../../model/load-balancer.js';
import { pickTargetGroup, type RequestView } from '../routing/router.js';
import type { WorkerServices } from './context.js';

export interface ChosenGroup {
  name: string;
  /** Set-Cookie lines ("Set-Cookie: ...\r\n") for the response, "" when none. */
  setCookies: string;
}

export function chooseTargetGroup(svc: WorkerServices, action: ForwardAction, loadBalancer: string, req: RequestView): ChosenGroup {
  const st = action.targetGroupStickiness;
  if (st === undefined || !st.enabled || action.targetGroups.length < 2) return { name: pickTargetGroup(action, svc.random), setCookies: '' };
  const gs = svc.targets.groupStickiness(loadBalancer, st.durationSeconds);
  const pinned = gs.pinned(req.header('cookie'));
  const name = pinned !== null && action.targetGroups.some((g) => g.targetGroup === pinned && g.weight > 0) ? pinned : pickTargetGroup(action, svc.random);
  return { name, setCookies: gs.responseLines(name, svc.tick()) };
}
