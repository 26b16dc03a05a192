/**
 * Base64 for the binary fields the app keeps in persistence (Rocket.Chat stores records as JSON, where a
 * Uint8Array would turn into an object of numbered keys). `Buffer` exists in Node and in the Apps-Engine sandbox.
 */

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Encodes bytes as standard base64 with padding. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * Decodes standard base64 strictly (Buffer alone would skip bad characters silently).
 *
 * @param text - the stored value (anything: records read back from persistence are not trusted)
 * @param length - when given, the exact number of bytes expected
 * @returns the bytes, or undefined when `text` is not a string of valid base64 of that length
 */
export function fromBase64(text: unknown, length?: number): Uint8Array | undefined {
  if (typeof text !== 'string' || !BASE64.test(text)) return undefined;
  const bytes = new Uint8Array(Buffer.from(text, 'base64'));
  return length === undefined || bytes.length === length ? bytes : undefined;
}
