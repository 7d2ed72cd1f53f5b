// Alarms: state, reason, threshold; set an alarm's state (as set-alarm-state).
import { enc, get, post } from '../api.js';
import { h, section, state, table } from '../dom.js';
import { action } from '../dialog.js';
import type { PageContext } from '../router.js';
import type { Alarm } from '../types.js';

export async function alarms(c: PageContext): Promise<HTMLElement> {
  const list = (await get<{ MetricAlarms: Alarm[] }>('/_shoal/alarms')).MetricAlarms;
  return h('div', {},
    h('h1', {}, 'Alarms'),
    section('Metric alarms', table(['name', 'state', 'metric', 'dimensions', 'statistic / period', 'threshold', 'reason', ''], list.map((a) => [
      a.AlarmName, state(a.StateValue), `${a.Namespace} ${a.MetricName}`,
      (a.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).join(', '), `${a.Statistic ?? ''} ${a.Period} s`,
      `${a.ComparisonOperator} ${a.Threshold}`, a.StateReason ?? '',
      action('Set state', () => ({
        title: `Set the state of ${a.AlarmName}`,
        body: h('p', { class: 'muted' }, 'The alarm acts on the new state (its actions run), and the next evaluation sets it again from the data.'),
        fields: [
          { name: 'stateValue', label: 'State', type: 'select', value: a.StateValue, options: ['OK', 'ALARM', 'INSUFFICIENT_DATA'] },
          { name: 'stateReason', label: 'Reason', type: 'text', value: 'Set from the console' },
        ],
        confirm: 'Set state', danger: true,
        run: async (v) => {
          await post(`/_shoal/alarms/${enc(a.AlarmName)}/state`, { stateValue: v.stateValue, stateReason: v.stateReason });
          c.refresh();
        },
      }), { name: 'set-alarm-state' }),
    ]))),
  );
}
