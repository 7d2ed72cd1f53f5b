import { ShoalError } from '../core/errors.js';

/** One problem in a config file, located for the user. */
export interface ConfigIssue {
  file: string;
  /** 1-based; 0 when the problem has no place in the file (e.g. it cannot be read). */
  line: number;
  column: number;
  /** Field path, e.g. loadBalancers[0].listeners[0].rules[2].conditions[0].values; "" for the whole file. */
  path: string;
  /** What is wrong and what is allowed. */
  message: string;
}

/** "shoal.yaml:12:9: loadBalancers[0].attributes.idleTimeoutSeconds: must be an integer from 1 to 4000 (got 0)" */
export function formatIssue(i: ConfigIssue): string {
  const where = i.line > 0 ? `${i.file}:${i.line}:${i.column}` : i.file;
  return i.path ? `${where}: ${i.path}: ${i.message}` : `${where}: ${i.message}`;
}

/** Every issue found in a config file, one per line in `message`. Code ValidationError, as the API edge uses. */
export class ConfigError extends ShoalError {
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    super('ValidationError', issues.map(formatIssue).join('\n'), 400);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}
