export * from './load-balancer.js';
export * from './target-group.js';
export * from './ids.js';
