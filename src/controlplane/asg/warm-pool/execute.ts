/**
 * Executes the warm pool's actions: freezing and thawing run in the background
 * (the instance is `busy` meanwhile, so plans leave it alone); each ends with
 * a poke, so a thawed instance is registered on the very next pass.
 */
import { errorMessage } from '../../../core/errors.js';
import type { ControllerDeps } from '../deps.js';
import type { GroupController } from '../group.js';
import type { Action } from '../plan-types.js';
import type { InstanceRecord } from '../types.js';

export interface WarmContext {
  d: ControllerDeps;
  g: GroupController;
  busy: Set<string>;
  track(p: Promise<void>): void;
}

/** Runs a provider call with the instance marked busy; persists and pokes when it ends. */
function call(c: WarmContext, r: InstanceRecord, what: 'freeze' | 'thaw', then: () => void): void {
  c.busy.add(r.instanceId);
  const p = c.d.provider[what](r.instanceId).then(then, (err: unknown) => {
    c.d.log.warn({ group: c.g.state.name, instanceId: r.instanceId, err: errorMessage(err) }, `warm pool: ${what} failed`);
  }).finally(() => {
    c.busy.delete(r.instanceId);
    try {
      c.g.persist();
    } catch (err) {
      c.d.log.warn({ group: c.g.state.name, err: errorMessage(err) }, 'could not save group state (store closed?)');
    }
    c.d.poke();
  });
  c.track(p);
}

export function warmReady(c: WarmContext, r: InstanceRecord, to: Extract<Action, { kind: 'warmReady' }>['to']): void {
  if (to === 'Warmed:Stopped') return call(c, r, 'freeze', () => { r.lifecycleState = to; });
  if (r.lifecycleState === 'Warmed:Stopped') return call(c, r, 'thaw', () => { r.lifecycleState = to; });
  r.lifecycleState = to;
}

/** Scale-out from the pool: Pending now (the grace period starts over), thawed in the background. */
export function fromWarmPool(c: WarmContext, r: InstanceRecord, a: Extract<Action, { kind: 'fromWarmPool' }>): void {
  const frozen = r.lifecycleState === 'Warmed:Stopped';
  c.d.activities.record(c.g.state, {
    description: `Launching a new EC2 instance from warm pool: ${r.instanceId}`, cause: a.cause,
    details: { 'Availability Zone': r.availabilityZone, 'Warm pool state': r.lifecycleState },
  }, 'Successful');
  r.lifecycleState = 'Pending';
  r.launchedAt = c.d.clock.now();
  if (frozen) call(c, r, 'thaw', () => undefined);
}

/** reuseOnScaleIn: drained, so back to the pool (frozen again by the next pass) instead of terminated. */
export function toWarmPool(c: WarmContext, r: InstanceRecord): void {
  const t = r.terminating!;
  delete r.terminating;
  delete r.wait;
  r.lifecycleState = 'Warmed:Pending';
  c.d.activities.finish(c.g.state, t.activityId, 'Successful', 'Returned to the warm pool (reuseOnScaleIn)');
}
