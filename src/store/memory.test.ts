import { createMemoryStore } from './memory.js';
import { storeContract } from './contract.test-suite.js';

storeContract('memory', (clock) => createMemoryStore(clock));
