/**
 * Per-user X25519 key pairs, the workspace secret that seals their private keys, and file keys wrapped to
 * users. Kept in the app's persistence, never on IPFS; see docs/SECURITY.md.
 */
export { KeyUnwrapError } from './errors';
export { KeyRing } from './KeyRing';
export { unwrapFileKey, wrapFileKey, X25519_KEY_BYTES, type WrappedKey } from './keyWrap';
export { type UserKeyRecord } from './userKeys';
export { ensureWorkspaceSecret, loadWorkspaceSecret, WORKSPACE_SECRET_BYTES } from './workspaceSecret';
