/**
 * StateReason texts in CloudWatch's words, e.g.
 * "Threshold Crossed: 3 out of the last 3 datapoints [83.2 (22/11/26 01:02:00), ...]
 *  were greater than the threshold (50.0) (minimum 3 datapoints for OK -> ALARM transition)."
 * Values print as Java doubles do (50.0, 83.2); times as dd/MM/yy HH:mm:ss UTC; newest first.
 */
import type { AlarmState, ComparisonOperator } from '../model/scaling.js';
import type { AlarmRule, EvaluatedDatapoint } from './evaluate.js';

const WORDS: Record<ComparisonOperator, string> = {
  GreaterThanThreshold: 'greater than',
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

/** 50 -> "50.0", 83.2 -> "83.2", 1e21 -> "1.0E21" (Java's Double.toString, near enough). */
export function javaDouble(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e7) return `${v}.0`;
  const s = String(v);
  if (s.includes('e')) {
    const [mant, exp] = s.split('e');
    return `${mant!.includes('.') ? mant : `${mant}.0`}E${Number(exp)}`;
  }
  return s;
}

/** dd/MM/yy HH:mm:ss in UTC. */
export function cloudWatchTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

export function describeOutcome(o: {
  rule: AlarmRule;
  evaluated: readonly EvaluatedDatapoint[];
  to: AlarmState;
  from: AlarmState;
  minimum: number;
  filled: number;
  filledAs: 'Breaching' | 'NonBreaching' | undefined;
}): string {
  const alarm = o.to === 'ALARM';
  const chosen = o.evaluated.filter((d) => d.breaching === alarm);
  const total = o.evaluated.length + o.filled;
  const threshold = `the threshold (${javaDouble(o.rule.threshold)})`;
  const fill = o.filled > 0 ? `${o.filled} missing ${plural(o.filled, 'datapoint was', 'datapoints were')} treated as [${o.filledAs}]` : '';
  const minimum = `(minimum ${o.minimum} ${plural(o.minimum, 'datapoint', 'datapoints')} for ${o.from} -> ${o.to} transition)`;
  if (chosen.length === 0) {
    return `Threshold Crossed: no datapoints were received for ${o.filled} ${plural(o.filled, 'period', 'periods')} and ${fill}.`;
  }
  const list = `[${chosen.map((d) => `${javaDouble(d.value)} (${cloudWatchTime(d.timestamp)})`).join(', ')}]`;
  const verb = `${plural(chosen.length, 'was', 'were')} ${alarm ? '' : 'not '}${WORDS[o.rule.comparisonOperator]} ${threshold}`;
  const and = fill ? ` and ${fill}` : '';
  if (total === 1) return `Threshold Crossed: 1 datapoint ${list} ${verb}${and}.`;
  return `Threshold Crossed: ${chosen.length} out of the last ${total} datapoints ${list} ${verb}${and} ${minimum}.`;
}

export const INITIAL_REASON = 'Unchecked: Initial alarm creation';
