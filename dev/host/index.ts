/**
 * Local Rocket.Chat workspace host: the real AppManager and Deno runtime with in-memory bridges.
 * See docs/dev/HOST.md.
 */
import './engine'; // first: with ENGINE=<version>, every later engine require goes to that version
export { startHost, WorkspaceHost } from './WorkspaceHost';
export type { HostOptions } from './WorkspaceHost';
export type { InteractionResult } from './interactions';
export type { InstallExpectations } from './install';
export type { PersistenceRecord, StoredUpload } from './workspace';
export { engineVersion } from './engine';
