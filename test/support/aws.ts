/** AWS clients and the AWS CLI pointed at a test daemon's endpoint. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Daemon } from '../../src/daemon/daemon.js';

const run = promisify(execFile);

export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export function endpointUrl(daemon: Daemon): string {
  return `http://${daemon.apiAddress()}`;
}

/** What every SDK v3 client needs to talk to the daemon. */
export function sdkConfig(daemon: Daemon, region = 'us-east-1'): { endpoint: string; region: string; credentials: typeof TEST_CREDENTIALS } {
  return { endpoint: endpointUrl(daemon), region, credentials: TEST_CREDENTIALS };
}

/** Runs an AWS CLI (default: Debian's v2 at /usr/bin/aws) against the daemon; JSON output parsed when there is any. */
export async function awsCli(daemon: Daemon, args: string[], o: { bin?: string; region?: string } = {}): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: o.region ?? 'us-east-1', AWS_PAGER: '',
    AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
  const { stdout } = await run(o.bin ?? '/usr/bin/aws', [...args, '--endpoint-url', endpointUrl(daemon), '--output', 'json'], { env, maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim() === '' ? {} : JSON.parse(stdout);
}

/** The error text an AWS CLI prints for a failed call. */
export async function awsCliError(daemon: Daemon, args: string[], o: { bin?: string } = {}): Promise<string> {
  try {
    await awsCli(daemon, args, o);
  } catch (err) {
    return (err as { stderr: string }).stderr;
  }
  throw new Error(`aws ${args.join(' ')} succeeded`);
}
