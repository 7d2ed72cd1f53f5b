/** What a worker's access log writers tell the primary (controlplane/access-logs/ acts on them). */
export type AccessLogEvent =
  /** The file (this inode) reached its size: rotate it, then have every worker reopen the path. */
  | { type: 'full'; loadBalancer: string; ino: number }
  /** A write failed: lines are dropped until one succeeds again. */
  | { type: 'failed'; loadBalancer: string; message: string }
  /** Once a second (and at close), what the worker wrote and dropped since its last count. */
  | { type: 'counts'; loadBalancer: string; writtenBytes: number; droppedBytes: number };
