/**
 * Notification actions: what an SNS topic does in the CloudWatch tutorials.
 * `command` runs `sh -c COMMAND` with ALARM_NAME, NEW_STATE, OLD_STATE,
 * REASON and ALARM_MESSAGE (the JSON below) in its environment; `webhook`
 * POSTs an SNS-style notification whose Message is the alarm JSON that SNS
 * would deliver. Both give up after timeoutMs.
 */
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Clock } from '../core/clock.js';
import { ShoalError } from '../core/errors.js';
import { REGION } from '../model/ids.js';
import type { AlarmEvent } from './types.js';

/** The JSON CloudWatch sends to SNS for a state change. */
export function alarmMessage(e: AlarmEvent): Record<string, unknown> {
  const a = e.alarm;
  return {
    AlarmName: a.alarmName,
    AlarmDescription: a.alarmDescription ?? null,
    AWSAccountId: '000000000000',
    NewStateValue: e.state,
    NewStateReason: e.reason,
    StateChangeTime: new Date(e.at).toISOString(),
    Region: REGION,
    OldStateValue: e.previous,
    Trigger: {
      MetricName: a.metricName, Namespace: a.namespace, StatisticType: a.statistic.startsWith('p') ? 'ExtendedStatistic' : 'Statistic',
      Statistic: a.statistic.startsWith('p') ? undefined : a.statistic.toUpperCase(), ExtendedStatistic: a.statistic.startsWith('p') ? a.statistic : undefined,
      Dimensions: a.dimensions.map((d) => ({ name: d.name, value: d.value })), Period: a.period, EvaluationPeriods: a.evaluationPeriods,
      DatapointsToAlarm: a.datapointsToAlarm, ComparisonOperator: a.comparisonOperator, Threshold: a.threshold, TreatMissingData: a.treatMissingData,
    },
  };
}

export function runCommand(command: string, e: AlarmEvent, o: { clock: Clock; timeoutMs?: number }): Promise<void> {
  const env = {
    ...process.env, ALARM_NAME: e.alarm.alarmName, NEW_STATE: e.state, OLD_STATE: e.previous, REASON: e.reason,
    ALARM_MESSAGE: JSON.stringify(alarmMessage(e)),
  };
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => { stderr = (stderr + c.toString('utf8')).slice(-500); });
    const timer = o.clock.after(o.timeoutMs ?? 30_000, () => child.kill('SIGKILL'));
    child.on('error', (err) => { timer.cancel(); reject(err); });
    child.on('close', (code, signal) => {
      timer.cancel();
      if (code === 0) resolve();
      else reject(new ShoalError('ActionFailed', `command exited with ${signal ?? code}${stderr ? `: ${stderr.trim()}` : ''}`));
    });
  });
}

export function postWebhook(url: string, e: AlarmEvent, o: { clock: Clock; timeoutMs?: number; messageId: string }): Promise<void> {
  const message = alarmMessage(e);
  const body = JSON.stringify({
    Type: 'Notification', MessageId: o.messageId, TopicArn: `arn:aws:sns:${REGION}:000000000000:shoal-alarms`,
    Subject: `${e.state}: "${e.alarm.alarmName}" in ${REGION}`, Message: JSON.stringify(message), Timestamp: new Date(e.at).toISOString(),
  });
  const u = new URL(url);
  const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(u, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-amz-sns-message-type': 'Notification' } }, (res) => {
      res.resume();
      res.on('end', () => {
        timer.cancel();
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve();
        else reject(new ShoalError('ActionFailed', `webhook answered ${status}`));
      });
    });
    const timer = o.clock.after(o.timeoutMs ?? 10_000, () => req.destroy(new ShoalError('ActionFailed', 'webhook timed out')));
    req.on('error', (err) => { timer.cancel(); reject(err); });
    req.end(body);
  });
}
