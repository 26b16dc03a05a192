/**
 * Where the app works around the Apps-Engine (engine) and Rocket.Chat's bridges (server). One line each: what
 * they do; what we do; where. Each has a contract test in test/e2e/engine-contracts.test.ts, run on every engine
 * of the matrix (scripts/test.sh); server behaviour is modelled by dev/host from Rocket.Chat's source.
 *
 * - engine: jsonrpc-lite JSON-encodes every request's params in the app's process just to check them (a Buffer:
 *   an array of numbers, ~85 ms per MiB); we give Buffers a non-enumerable toJSON, bytes still go as msgpack
 *   binary; bytesForEngine.ts (used by src/ipfs/multipart.ts, src/chat/Chat.ts).
 * - engine + server: a Buffer crosses as a Buffer, a plain Uint8Array as a view that is a Buffer only if its message
 *   came in one 64 KiB pipe chunk, and the server JSON-encodes non-Buffer HTTP bodies; we hand over Buffers only;
 *   src/ipfs/multipart.ts, src/chat/Chat.ts.
 * - server: an HTTP response is text unless the request says `encoding: null`; we ask for it on binary calls and
 *   read either form; src/ipfs/KuboRpcClient.ts (cat, block/get), src/ipfs/rpcResponse.ts.
 * - server: the `params` of a POST without body become a form body; we put Kubo's `arg` and options in the URL;
 *   src/ipfs/rpcEndpoint.ts.
 * - engine: a liveness ping every 10 s, four missed in a row restart the process, any message from it counts as
 *   alive, and pings wait behind a big message to the process; we send a small request every 10 s while a job
 *   runs; keepAlive.ts (used by src/jobs/inFlight.ts).
 * - server: removal by associations deletes one match or all depending on the release, `update(id)` is not
 *   implemented, an upsert of an existing record may throw after writing; we remove until a read finds none and
 *   write one record per key by upsert; persistence.ts (used by every class in src/storage/).
 * - engine: app code runs with `globalThis` undefined; we draw randomness from the bare `crypto.getRandomValues`
 *   and use only synchronous noble calls; src/crypto/random.ts, src/crypto/kdf.ts.
 * - server + engine: fields the converters do not map travel under `_unmappedProperties_`; we read both places;
 *   src/policy/facts.ts (extraField).
 *
 * Not contract-tested here (each costs the engine's real limits, 30 s or more): a call into the app times out
 * after 30 s and the UI client waits 5 s, so long work goes on after answering (src/jobs/background.ts); a missing
 * permission makes an accessor answer nothing, which src/ipfs/rpcEndpoint.ts turns into an error.
 */
export { bytesForEngine } from './bytesForEngine';
export { ENGINE_PING_INTERVAL_MS, startKeepAlive } from './keepAlive';
export type { KeepAlive, KeepAliveBeats } from './keepAlive';
export { putOne, removeEveryMatch, uniqueBy } from './persistence';
