/**
 * RegisterTaskDefinition's input as a revision of the config's
 * `taskDefinitions[].revisions` (config/schema-ecs.ts): the members shoal
 * runs are copied under their own names (the schema then checks them as it
 * checks the file); members with no meaning here are dropped when empty and
 * refused (ClientException, naming the member) otherwise (ignored.ts). IAM
 * role ARNs are dropped whatever they say: shoal has no IAM, and every
 * Fargate task definition carries an executionRoleArn.
 */
import { refuseOthers } from './ignored.js';

type Obj = Record<string, unknown>;

const TASK = new Set(['family', 'containerDefinitions', 'networkMode', 'cpu', 'memory', 'requiresCompatibilities', 'tags', 'taskRoleArn', 'executionRoleArn']);
const CONTAINER = new Set(['name', 'image', 'cpu', 'memory', 'memoryReservation', 'essential', 'command', 'entryPoint', 'environment', 'portMappings', 'healthCheck', 'dockerLabels', 'stopTimeout']);
const PORT = new Set(['containerPort', 'hostPort', 'protocol', 'name', 'appProtocol']);

/** Only the members in `keep` that were given. */
function pick(o: Obj, keep: ReadonlySet<string>): Obj {
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => keep.has(k) && v !== undefined));
}

function container(c: Obj, i: number): Obj {
  const where = `containerDefinitions[${i}]${typeof c.name === 'string' ? ` (${c.name})` : ''}`;
  refuseOthers(c, CONTAINER, where);
  const out = pick(c, CONTAINER);
  if (Array.isArray(c.portMappings)) {
    out.portMappings = (c.portMappings as Obj[]).map((p, j) => {
      refuseOthers(p, PORT, `${where}.portMappings[${j}]`);
      return pick(p, PORT);
    });
  }
  return out;
}

/** The revision to append to the family's record. */
export function revisionOf(input: Obj): Obj {
  refuseOthers(input, TASK, 'RegisterTaskDefinition');
  const out = pick(input, new Set(['networkMode', 'cpu', 'memory', 'requiresCompatibilities']));
  out.containerDefinitions = ((input.containerDefinitions as Obj[] | undefined) ?? []).map(container);
  return out;
}
