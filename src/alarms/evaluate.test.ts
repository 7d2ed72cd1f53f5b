import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AlarmState, TreatMissingData } from '../model/scaling.js';
import { alarmDecidedEarly, evaluateAlarm, growsWithinPeriod, type AlarmRule, type Slot } from './evaluate.js';
import { cloudWatchTime, javaDouble } from './reason.js';

const T0 = Date.UTC(2026, 10, 22, 1, 0, 0);

/** "0 - X - X", oldest first: X = 90 (breaching), 0 = 10 (not), - = missing; one slot per minute. */
function slots(pattern: string): Slot[] {
  return pattern.split(' ').map((c, i) => ({ timestamp: T0 + i * 60_000, ...(c === '-' ? {} : { value: c === 'X' ? 90 : 10 }) }));
}

const rule = (o: Partial<AlarmRule> = {}): AlarmRule => ({
  evaluationPeriods: 3, datapointsToAlarm: 3, comparisonOperator: 'GreaterThanThreshold', threshold: 50, treatMissingData: 'missing', ...o,
});

describe('evaluateAlarm: treatMissingData as CloudWatch documents it (3 of 3, range of 5)', () => {
  // The table of "Configuring how CloudWatch alarms treat missing data": one row per pattern, a column per treatment.
  const table: [string, Record<TreatMissingData, AlarmState | 'keep'>][] = [
    ['0 - X - X', { missing: 'OK', ignore: 'OK', breaching: 'OK', notBreaching: 'OK' }],
    ['- - - - 0', { missing: 'OK', ignore: 'OK', breaching: 'OK', notBreaching: 'OK' }],
    ['- - - - -', { missing: 'INSUFFICIENT_DATA', ignore: 'keep', breaching: 'ALARM', notBreaching: 'OK' }],
    ['0 X X - X', { missing: 'ALARM', ignore: 'ALARM', breaching: 'ALARM', notBreaching: 'ALARM' }],
    ['- - X - -', { missing: 'ALARM', ignore: 'keep', breaching: 'ALARM', notBreaching: 'OK' }],
  ];
  for (const [pattern, want] of table) {
    for (const treat of ['missing', 'ignore', 'breaching', 'notBreaching'] as const) {
      it(`${pattern} with ${treat} -> ${want[treat]}`, () => {
        for (const current of ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const) {
          const e = evaluateAlarm(rule({ treatMissingData: treat }), slots(pattern), current);
          assert.equal(e.state, want[treat] === 'keep' ? current : want[treat], `from ${current}`);
        }
      });
    }
  }
});

describe('evaluateAlarm: M out of N', () => {
  const cases: { name: string; pattern: string; m: number; n: number; from: AlarmState; want: AlarmState }[] = [
    { name: '2 of 3 breaching alarms a 2-of-3 alarm', pattern: '0 0 X 0 X', m: 2, n: 3, from: 'OK', want: 'ALARM' },
    { name: '1 of 3 breaching is OK for 2-of-3', pattern: 'X X 0 0 X', m: 2, n: 3, from: 'ALARM', want: 'OK' },
    { name: 'only the most recent N real datapoints count', pattern: 'X X X 0 0', m: 3, n: 3, from: 'ALARM', want: 'OK' },
    { name: '15 of 15 needs all fifteen', pattern: 'X X X X X X X X X X X X X X 0 X X', m: 15, n: 15, from: 'OK', want: 'OK' },
    { name: 'one good datapoint ends a 3-of-3 ALARM', pattern: 'X X X X 0', m: 3, n: 3, from: 'ALARM', want: 'OK' },
    { name: '1 of 1', pattern: 'X 0 X', m: 1, n: 1, from: 'OK', want: 'ALARM' },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(evaluateAlarm(rule({ datapointsToAlarm: c.m, evaluationPeriods: c.n }), slots(c.pattern), c.from).state, c.want));
  }

  it('compares with each operator', () => {
    const at = (op: AlarmRule['comparisonOperator'], v: number) =>
      evaluateAlarm(rule({ comparisonOperator: op, evaluationPeriods: 1, datapointsToAlarm: 1 }), [{ timestamp: T0, value: v }], 'OK').state;
    assert.equal(at('GreaterThanThreshold', 50), 'OK');
    assert.equal(at('GreaterThanOrEqualToThreshold', 50), 'ALARM');
    assert.equal(at('LessThanThreshold', 50), 'OK');
    assert.equal(at('LessThanOrEqualToThreshold', 50), 'ALARM');
    assert.equal(at('LessThanThreshold', 49.9), 'ALARM');
  });
});

describe('state reasons in CloudWatch words', () => {
  it('OK -> ALARM quotes the breaching datapoints, newest first', () => {
    const range: Slot[] = [81, 85.5, 83.2].map((v, i) => ({ timestamp: T0 + 60_000 + i * 60_000, value: v }));
    const e = evaluateAlarm(rule(), range, 'OK');
    assert.equal(e.reason, 'Threshold Crossed: 3 out of the last 3 datapoints [83.2 (22/11/26 01:03:00), 85.5 (22/11/26 01:02:00), 81.0 (22/11/26 01:01:00)] '
      + 'were greater than the threshold (50.0) (minimum 3 datapoints for OK -> ALARM transition).');
  });

  it('ALARM -> OK quotes the datapoints that were not breaching', () => {
    const e = evaluateAlarm(rule(), slots('X X X X 0'), 'ALARM');
    assert.equal(e.reason, 'Threshold Crossed: 1 out of the last 3 datapoints [10.0 (22/11/26 01:04:00)] was not greater than the threshold (50.0) (minimum 1 datapoint for ALARM -> OK transition).');
  });

  it('one datapoint alarms say so', () => {
    const e = evaluateAlarm(rule({ evaluationPeriods: 1, datapointsToAlarm: 1, comparisonOperator: 'LessThanThreshold', threshold: 1 }), [{ timestamp: T0, value: 0 }], 'OK');
    assert.equal(e.reason, 'Threshold Crossed: 1 datapoint [0.0 (22/11/26 01:00:00)] was less than the threshold (1.0).');
  });

  it('missing datapoints treated as breaching are counted and named', () => {
    const e = evaluateAlarm(rule({ treatMissingData: 'breaching' }), slots('- - - - -'), 'OK');
    assert.equal(e.reason, 'Threshold Crossed: no datapoints were received for 3 periods and 3 missing datapoints were treated as [Breaching].');
    const mixed = evaluateAlarm(rule({ treatMissingData: 'breaching' }), slots('- - X - X'), 'OK');
    assert.match(mixed.reason, /2 out of the last 3 datapoints \[90\.0 .*\] were greater than the threshold \(50\.0\) and 1 missing datapoint was treated as \[Breaching\] \(minimum 3 datapoints for OK -> ALARM transition\)\.$/);
  });

  it('insufficient data', () => {
    assert.equal(evaluateAlarm(rule(), slots('- - - - -'), 'OK').reason, 'Insufficient Data: 3 datapoints were unknown.');
  });

  it('formats numbers and times as CloudWatch does', () => {
    assert.equal(javaDouble(50), '50.0');
    assert.equal(javaDouble(-3), '-3.0');
    assert.equal(javaDouble(0.25), '0.25');
    assert.equal(javaDouble(1e21), '1.0E21');
    assert.equal(cloudWatchTime(Date.UTC(2026, 0, 2, 3, 4, 5)), '02/01/26 03:04:05');
  });
});

describe('deciding ALARM while the newest period is still filling', () => {
  it('only statistics that cannot shrink, compared with > or >=', () => {
    const spec = (namespace: string, statistic: string, comparisonOperator: AlarmRule['comparisonOperator'] = 'GreaterThanThreshold') => ({ namespace, statistic, comparisonOperator });
    assert.equal(growsWithinPeriod(spec('AWS/ApplicationELB', 'Sum')), true);
    assert.equal(growsWithinPeriod(spec('AWS/ApplicationELB', 'Sum', 'GreaterThanOrEqualToThreshold')), true);
    assert.equal(growsWithinPeriod(spec('MyApp', 'SampleCount')), true);
    assert.equal(growsWithinPeriod(spec('MyApp', 'Sum')), false, 'PutMetricData may send negative values');
    assert.equal(growsWithinPeriod(spec('AWS/EC2', 'Average')), false);
    assert.equal(growsWithinPeriod(spec('AWS/EC2', 'Maximum')), false, 'grows too, but shoal keeps the rule to counts');
    assert.equal(growsWithinPeriod(spec('AWS/ApplicationELB', 'Sum', 'LessThanThreshold')), false);
  });

  const cases: { pattern: string; rule: Partial<AlarmRule>; decided: boolean }[] = [
    { pattern: '0 0 X', rule: { evaluationPeriods: 1, datapointsToAlarm: 1 }, decided: true },
    { pattern: '0 X X', rule: {}, decided: false },
    { pattern: 'X X X', rule: {}, decided: true },
    { pattern: '0 0 X', rule: { evaluationPeriods: 3, datapointsToAlarm: 1 }, decided: true },
    { pattern: 'X - X', rule: { evaluationPeriods: 2, datapointsToAlarm: 1 }, decided: false },
    { pattern: 'X', rule: { evaluationPeriods: 2, datapointsToAlarm: 1 }, decided: false },
  ];
  for (const c of cases) {
    it(`${c.pattern} with ${c.rule.datapointsToAlarm ?? 3} of ${c.rule.evaluationPeriods ?? 3}: ${c.decided ? 'ALARM already' : 'not yet'}`, () => {
      assert.equal(alarmDecidedEarly(rule(c.rule), slots(c.pattern)), c.decided);
    });
  }
});
