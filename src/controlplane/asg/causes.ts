/** Activity causes in AWS's words (DescribeScalingActivities), with the time in each sentence. */
export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** HH:MM:SSZ, for "paused until" messages. */
export function clockTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19) + 'Z';
}

export const cause = {
  created: (at: number, from: number, to: number) =>
    `At ${iso(at)} a user request created an AutoScalingGroup changing the desired capacity from ${from} to ${to}.`,
  constraints: (at: number, c: { minSize: number; maxSize: number; desiredCapacity: number }, from: number) =>
    `At ${iso(at)} a user request update of AutoScalingGroup constraints to min: ${c.minSize}, max: ${c.maxSize}, desired: ${c.desiredCapacity} changing the desired capacity from ${from} to ${c.desiredCapacity}.`,
  setDesired: (at: number, from: number, to: number) =>
    `At ${iso(at)} a user request explicitly set group desired capacity changing the desired capacity from ${from} to ${to}.`,
  launch: (at: number, from: number, to: number) =>
    `At ${iso(at)} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${from} to ${to}.`,
  rebalanceLaunch: (at: number) => `At ${iso(at)} an instance was launched to aid in balancing the group's zones.`,
  scaleIn: (at: number, from: number, to: number, id: string) =>
    `At ${iso(at)} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from ${from} to ${to}. At ${iso(at)} instance ${id} was selected for termination.`,
  stopped: (at: number) =>
    `At ${iso(at)} an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped.`,
  impaired: (at: number) => `At ${iso(at)} an instance was taken out of service in response to an EC2 instance status checks failure.`,
  elb: (at: number) => `At ${iso(at)} an instance was taken out of service in response to an ELB system health check failure.`,
  userTerminate: (at: number, id: string, shrink?: { from: number; to: number }) =>
    shrink
      ? `At ${iso(at)} instance ${id} was taken out of service in response to a user request, shrinking the capacity from ${shrink.from} to ${shrink.to}.`
      : `At ${iso(at)} instance ${id} was taken out of service in response to a user request.`,
  userHealth: (at: number) => `At ${iso(at)} an instance was taken out of service in response to a user health-check.`,
  abandoned: (at: number, id: string, hook: string) =>
    `At ${iso(at)} instance ${id} was taken out of service because lifecycle hook ${hook} ended with ABANDON.`,
};
