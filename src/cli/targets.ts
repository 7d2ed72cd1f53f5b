/** `shoal targets NAME`: the target health table, as DescribeTargetHealth reports it. */
import type { TargetHealthDescription } from '../model/target-group.js';
import { asJson, callApi, resolveEndpoint, type EndpointOptions } from './client.js';
import { formatTable } from './table.js';

export function targetHealthTable(list: TargetHealthDescription[]): string {
  if (list.length === 0) return 'no targets registered';
  return formatTable(
    ['TARGET', 'PORT', 'STATE', 'REASON', 'DESCRIPTION'],
    list.map((d) => [
      d.target.id,
      String(d.target.port),
      d.targetHealth.state,
      d.targetHealth.reason ?? '',
      d.targetHealth.description ?? '',
    ]),
  );
}

export async function targetsCommand(group: string, o: EndpointOptions): Promise<void> {
  const res = await callApi<{ targetHealthDescriptions: TargetHealthDescription[] }>(
    resolveEndpoint(o),
    'GET',
    `/_shoal/target-groups/${encodeURIComponent(group)}/targets`,
  );
  console.log(asJson(o) ? JSON.stringify(res.targetHealthDescriptions, null, 2) : targetHealthTable(res.targetHealthDescriptions));
}

/** "127.0.0.1:9001" or "id=127.0.0.1,port=9001" (the AWS CLI's shorthand). */
export function parseTargetArg(arg: string): { id: string; port: number } {
  const kv = /^id=([^,]+),port=(\d+)$/i.exec(arg);
  if (kv) return { id: kv[1]!, port: Number(kv[2]) };
  const i = arg.lastIndexOf(':');
  return { id: arg.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(arg.slice(i + 1)) };
}

export async function registrationCommand(
  action: 'register' | 'deregister',
  group: string,
  targets: string[],
  o: EndpointOptions,
): Promise<void> {
  await callApi(resolveEndpoint(o), 'POST', `/_shoal/target-groups/${encodeURIComponent(group)}/${action}`, {
    targets: targets.map(parseTargetArg),
  });
  console.log(`${action === 'register' ? 'registered' : 'deregistering'} ${targets.join(', ')} ${action === 'register' ? 'in' : 'from'} ${group}`);
}
