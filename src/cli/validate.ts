/** `shoal validate -f FILE`. */
import { loadConfigFile } from '../config/index.js';

export function validateCommand(file: string): void {
  const config = loadConfigFile(file);
  const listeners = config.loadBalancers.reduce((n, lb) => n + lb.listeners.length, 0);
  console.log(
    `${file}: valid (${config.loadBalancers.length} load balancers, ${listeners} listeners, ` +
      `${config.targetGroups.length} target groups, ${config.autoScalingGroups.length} auto scaling groups)`,
  );
}
