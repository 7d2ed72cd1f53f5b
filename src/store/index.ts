/** The store: desired state, status and history (see store.ts for the contract). */
export * from './store.js';
export { createMemoryStore } from './memory.js';
export { openSqliteStore } from './sqlite.js';
