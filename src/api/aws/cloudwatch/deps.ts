/** What the CloudWatch operations need from the daemon (wired by src/daemon/aws-services.ts). */
import type { AlarmService } from '../../../alarms/service.js';
import type { Clock } from '../../../core/clock.js';
import type { TimeSeriesStore } from '../../../metrics/store.js';
import type { ModelService } from '../../../resources/model.js';
import type { Store } from '../../../store/index.js';

/** The metrics store as the API uses it (TimeSeriesStore fits it). */
export type CloudWatchMetrics = Pick<TimeSeriesStore, 'put' | 'query' | 'list' | 'wouldReject' | 'now'>;

export interface CloudWatchDeps {
  /** Alarms are model records (kind `alarms`), as in the config file. */
  model: ModelService;
  /** Alarm history is read from here (it outlives the alarms and the alarm service). */
  store: Store;
  clock: Clock;
  /** The daemon's metrics store; undefined while the daemon has none (starting, stopping). */
  metrics(): CloudWatchMetrics | undefined;
  /** The running alarm service; undefined until some alarm exists. */
  alarms(): AlarmService | undefined;
}
