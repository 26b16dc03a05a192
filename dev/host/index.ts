/**
 * Local Rocket.Chat workspace host: the real AppManager and Deno runtime with in-memory bridges.
 * See docs/dev/HOST.md.
 */
export { startHost, WorkspaceHost } from './WorkspaceHost';
export type { HostOptions } from './WorkspaceHost';
export type { InteractionResult } from './interactions';
export type { InstallExpectations } from './install';
export type { PersistenceRecord, StoredUpload } from './workspace';
