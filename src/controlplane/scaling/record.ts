/**
 * Carrying out and remembering decisions. A change of desired capacity goes
 * to the group the way set-desired-capacity does, with the decision's cause
 * as the capacity change that the launches and terminations quote (AWS's
 * activity causes). A decision that was held back is written to the
 * activity history once per episode (StatusCode Cancelled), not at every
 * alarm evaluation. Every decision goes to the stream scaling:decisions:GROUP
 * for `shoal explain`; a repeat of the same no-op or hold within a minute is
 * not written again.
 */
import type { Store } from '../../store/index.js';
import type { GroupController } from '../asg/group.js';
import type { AutoScalingService } from '../asg/service.js';
import { decisionsStream, type Decision } from './types.js';

const REPEAT_MS = 60_000;

export class DecisionLog {
  private lastWritten = new Map<string, number>();
  private heldEpisode = new Map<string, string>();

  constructor(private readonly store: Store) {}

  /** Applies a decision to the group (when it changes it) and records it. */
  apply(asg: AutoScalingService, g: GroupController, d: Decision): void {
    const who = d.policy ?? d.scheduledAction ?? '';
    if (d.kind === 'scale') {
      if (d.sizes?.minSize !== undefined) g.state.minSize = d.sizes.minSize;
      if (d.sizes?.maxSize !== undefined) g.state.maxSize = d.sizes.maxSize;
      if (d.to !== g.state.desiredCapacity) {
        g.state.desiredCapacity = d.to;
        g.state.lastCapacityChange = { text: d.cause, consumed: false };
      } else {
        asg.activities.record(g.state, { description: `Updating the sizes of ${g.state.name}`, cause: d.cause }, 'Successful');
      }
      g.persist();
      asg.poke();
      this.heldEpisode.delete(who);
    } else if (d.kind === 'held') {
      const episode = d.summary;
      if (this.heldEpisode.get(who) !== episode) {
        this.heldEpisode.set(who, episode);
        asg.activities.record(g.state, { description: `Holding the desired capacity at ${d.from}${d.policy ? ` (policy ${d.policy})` : ''}`, cause: d.cause }, 'Cancelled');
      }
    } else {
      this.heldEpisode.delete(who);
    }
    this.write(d);
  }

  private write(d: Decision): void {
    if (d.kind !== 'scale') {
      const key = `${d.group}|${d.policy ?? d.scheduledAction}|${d.trigger}|${d.kind}|${d.kind === 'held' ? d.summary : ''}`;
      const last = this.lastWritten.get(key);
      if (last !== undefined && d.at - last < REPEAT_MS) return;
      this.lastWritten.set(key, d.at);
    }
    this.store.appendHistory(decisionsStream(d.group), d);
  }

  list(group: string, limit = 20): Decision[] {
    return this.store.history<Decision>(decisionsStream(group), limit).map(({ id: _id, ...d }) => d as unknown as Decision);
  }
}
