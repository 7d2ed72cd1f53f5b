/** The key that authenticates sticky-session cookies: made once (256 random bits), kept in the store. */
import { randomBytes } from 'node:crypto';
import type { Store } from '../store/index.js';

const KIND = 'secret';
const ID = 'sticky-cookies';

export function stickySecret(store: Store): string {
  const known = store.getDoc<{ hex: string }>(KIND, ID)?.value.hex;
  if (known !== undefined) return known;
  const hex = randomBytes(32).toString('hex');
  store.putDoc(KIND, ID, { hex }, 0);
  return hex;
}
