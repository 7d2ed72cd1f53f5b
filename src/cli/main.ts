#!/usr/bin/env node
/** The `shoal` command. */
import { Command } from 'commander';
import { ShoalError, errorMessage } from '../core/errors.js';
import { upCommand } from './up.js';
import { validateCommand } from './validate.js';
import { makeCerts } from './cert.js';
import { registrationCommand, targetsCommand } from './targets.js';
import { statusCommand } from './status.js';
import { registerWaitCommands } from './wait.js';
import { registerTopCommand } from './top.js';
import { registerEcsCommands } from './ecs.js';
import { registerAsgCommands } from './asg/index.js';
import { registerMetricsCommands } from './metrics.js';
import { registerScalingCommands } from './scaling.js';
import { callApi, endpointOptions, resolveEndpoint, type EndpointOptions } from './client.js';

const program = new Command();
program.name('shoal').description('Self-hosted load balancers and auto scaling groups').version('0.1.0');

const endpointOpts = endpointOptions;

program
  .command('up')
  .description('run the daemon in the foreground (without -f: an empty daemon for the AWS API to populate, state in ./.shoal)')
  .option('-f, --file <file>', 'config file (YAML)')
  .action((o: { file?: string }) => upCommand(o.file));

program
  .command('validate')
  .description('check a config file; errors name the file, line and field')
  .requiredOption('-f, --file <file>', 'config file (YAML)')
  .action((o: { file: string }) => validateCommand(o.file));

program
  .command('cert [names...]')
  .description('make a local development CA (once) and certificates for the names, e.g. shoal cert web.localhost api.localhost')
  .option('--ca-dir <dir>', 'where the CA lives (default ~/.shoal/ca)')
  .option('--out <dir>', 'where certificates are written (default .)')
  .action(async (names: string[], o: { caDir?: string; out?: string }) => console.log((await makeCerts({ names, ...o })).text));

endpointOpts(program.command('status').description('the fleet as a tree: load balancers, listeners and rules, target groups with target health, Auto Scaling groups with instances by zone, zones')).action(
  (o: EndpointOptions) => statusCommand(o),
);

endpointOpts(program.command('targets <targetGroup>').description('target health table of a target group')).action(
  (group: string, o) => targetsCommand(group, o),
);

endpointOpts(
  program.command('register-targets <targetGroup> <targets...>').description('register targets (ip:port or id=IP,port=N)'),
).action((group: string, targets: string[], o) => registrationCommand('register', group, targets, o));

endpointOpts(
  program
    .command('deregister-targets <targetGroup> <targets...>')
    .description('deregister targets; they drain, then leave'),
).action((group: string, targets: string[], o) => registrationCommand('deregister', group, targets, o));

endpointOpts(
  program.command('console-url').description('a new one-time login link for the web console (valid 10 minutes)'),
).action(async (o: EndpointOptions) => {
  const r = await callApi<{ url: string; expiresAt: string }>(resolveEndpoint(o), 'POST', '/_shoal/console-url');
  console.log(r.url);
});

registerAsgCommands(program);
registerMetricsCommands(program);
registerScalingCommands(program);
registerWaitCommands(program);
registerTopCommand(program);
registerEcsCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ShoalError) console.error(`${err.code}: ${err.message}`);
  else console.error(errorMessage(err));
  process.exit(1);
});
