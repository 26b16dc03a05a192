/**
 * Password-based key derivation: scrypt (RFC 7914) from @noble/hashes, synchronous variant only (the async one
 * reaches for `globalThis`, which the sandbox lacks).
 */
import { scrypt } from '@noble/hashes/scrypt.js';
import { KdfTooExpensiveError } from './errors';

/** scrypt cost parameters as stored in the header: N = 2^logN. */
export interface KdfParams {
  logN: number;
  r: number;
  p: number;
}

/** Parameters used when the caller gives none: N = 2^17, r = 8, p = 1 (128 MiB, ≈0.5 s here). */
export const DEFAULT_KDF: KdfParams = Object.freeze({ logN: 17, r: 8, p: 1 });

/**
 * Bounds on scrypt parameters.
 *
 * The cap protects the server: objects come from public IPFS, so a header may be crafted to demand huge work.
 * scrypt needs 128·r·N bytes and time proportional to N·r·p. `maxWork` (N·r·p ≤ 2^23) allows the strongest
 * setting (logN 20, r 8, p 1: 1 GiB, ≈4 s here) while bounding any combination to the same memory and time,
 * well inside the engine's 30 s call limit. The minimums for READING are low so test vectors stay fast;
 * `settingMinLogN..settingMaxLogN` is what an administrator may choose for writing.
 */
export const KDF_LIMITS = Object.freeze({
  minLogN: 1,
  maxLogN: 20,
  maxR: 8,
  maxP: 4,
  /** Upper bound of N·r·p. */
  maxWork: 2 ** 23,
  settingMinLogN: 15,
  settingMaxLogN: 20,
});

/** A ceiling on scrypt cost: each of logN, r and p, and the work N·r·p (time ∝ N·r·p, memory = 128·r·N). */
export interface KdfBudget {
  readonly maxLogN: number;
  readonly maxR: number;
  readonly maxP: number;
  /** Upper bound of N·r·p. */
  readonly maxWork: number;
}

/**
 * The costliest scrypt the app runs while a form waits (the client gives up after 5 s): the work of logN 18,
 * r 8, p 1 (≈2.3 s in the engine's Deno runtime here, 256 MiB). Gating on logN alone let a crafted header with
 * r 8, p 4 at logN 18 run 4× that inside the form.
 */
export const INTERACTIVE_KDF_BUDGET: KdfBudget = Object.freeze({
  maxLogN: 18,
  maxR: 8,
  maxP: 4,
  maxWork: 2 ** 18 * 8,
});

/** True when none of the four limits of `budget` is exceeded. */
export function withinKdfBudget(kdf: KdfParams, budget: KdfBudget): boolean {
  return (
    kdf.logN <= budget.maxLogN &&
    kdf.r <= budget.maxR &&
    kdf.p <= budget.maxP &&
    2 ** kdf.logN * kdf.r * kdf.p <= budget.maxWork
  );
}

/** Fixed prefix of the scrypt salt, separating this use of the password from any other. */
export const SCRYPT_SALT_LABEL = 'rc-ipfs-storage v1 scrypt';

/** Memory budget handed to scrypt: the cap's 1 GiB plus headroom for its small buffers. */
const MAX_MEM = 2 ** 30 + 2 ** 20;

/**
 * Checks parameters against the cap without doing any derivation work.
 *
 * @param kdf - parameters to check
 * @throws {KdfTooExpensiveError} if logN, r, p or N·r·p exceed {@link KDF_LIMITS}
 * @throws {RangeError} if a parameter is not an integer or below its minimum (1)
 */
export function checkKdfParams(kdf: KdfParams): void {
  const { logN, r, p } = kdf;
  if (![logN, r, p].every(Number.isInteger) || logN < KDF_LIMITS.minLogN || r < 1 || p < 1) {
    throw new RangeError(`invalid scrypt parameters logN=${logN} r=${r} p=${p}`);
  }
  if (!withinKdfBudget(kdf, KDF_LIMITS)) {
    throw new KdfTooExpensiveError(`scrypt parameters logN=${logN} r=${r} p=${p} exceed the cap`);
  }
}

/**
 * Derives the 32-byte key-wrapping key: scrypt(UTF-8(NFC(password)), label ‖ salt, 2^logN, r, p, 32).
 *
 * @param password - the user's password (normalized to Unicode NFC before encoding)
 * @param salt - the object's 16 random salt bytes
 * @param kdf - cost parameters, checked against the cap first
 * @returns 32 derived bytes
 * @throws {KdfTooExpensiveError} if the parameters exceed the cap (no work done)
 * @throws {RangeError} if the parameters are malformed
 */
export function deriveWrapKey(password: string, salt: Uint8Array, kdf: KdfParams): Uint8Array {
  const inputs = scryptInputs(password, salt, kdf);
  return scrypt(inputs.password, inputs.salt, { ...inputs, maxmem: MAX_MEM });
}

/** Exactly what scrypt is called with for the wrap key, for callers that bring their own scrypt. */
export interface ScryptInputs {
  /** UTF-8 of the NFC-normalized password. */
  readonly password: Uint8Array;
  /** The label followed by the header's salt. */
  readonly salt: Uint8Array;
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly dkLen: 32;
}

/**
 * The scrypt call {@link deriveWrapKey} makes, checked against the cap but not run: an opener with a native
 * scrypt (Node's, off the main thread) derives the same key from it.
 *
 * @throws {KdfTooExpensiveError} if the parameters exceed the cap
 * @throws {RangeError} if the parameters are malformed
 */
export function scryptInputs(password: string, salt: Uint8Array, kdf: KdfParams): ScryptInputs {
  checkKdfParams(kdf);
  const label = new TextEncoder().encode(SCRYPT_SALT_LABEL);
  const fullSalt = new Uint8Array(label.length + salt.length);
  fullSalt.set(label);
  fullSalt.set(salt, label.length);
  const pw = new TextEncoder().encode(password.normalize('NFC'));
  return { password: pw, salt: fullSalt, N: 2 ** kdf.logN, r: kdf.r, p: kdf.p, dkLen: 32 };
}

/** An asynchronous scrypt of exactly the given inputs (see {@link scryptInputs}). */
export type Scrypt = (inputs: ScryptInputs) => Promise<Uint8Array>;

let installedScrypt: Scrypt | undefined;

/**
 * Installs the runtime's native scrypt for {@link deriveWrapKeyAsync}. The portable one holds the app's only
 * thread for about half a second (longer on a busy machine): every other call into the app, another user's form or
 * upload hook included, waits behind it. A native scrypt runs off that thread. Shared code cannot import `crypto`
 * (the browser page bundles it), so the app's wiring installs it.
 */
export function useScrypt(scryptOfInputs: Scrypt): void {
  installedScrypt = scryptOfInputs;
}

/** {@link deriveWrapKey} through the installed scrypt (off the main thread), else the portable one. */
export async function deriveWrapKeyAsync(password: string, salt: Uint8Array, kdf: KdfParams): Promise<Uint8Array> {
  const inputs = scryptInputs(password, salt, kdf);
  if (!installedScrypt) return scrypt(inputs.password, inputs.salt, { ...inputs, maxmem: MAX_MEM });
  const key = await installedScrypt(inputs);
  if (key.length !== inputs.dkLen) throw new RangeError('the installed scrypt gave a key of the wrong length');
  return key;
}
