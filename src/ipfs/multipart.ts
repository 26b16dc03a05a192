import { bytesForEngine } from '../engine/bytesForEngine';

/**
 * multipart/form-data with a single binary part, as Kubo's `add` wants it. The body is a Node `Buffer`
 * because Rocket.Chat's HTTP bridge sends a Buffer as is but JSON-stringifies any other object.
 */

/** The one part of the form. */
export interface MultipartPart {
  /** Form field name (Kubo reads any). */
  name: string;
  /** File name announced to the provider: keep it neutral, it may be logged or listed. */
  filename: string;
  /** Part content type. */
  contentType: string;
  content: Uint8Array;
}

/** An encoded body and the Content-Type header (with boundary) that goes with it. */
export interface MultipartBody {
  body: Buffer;
  contentType: string;
}

const TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

function randomBoundary(): string {
  // Not a secret: uniqueness is checked against the content below.
  let s = '';
  for (let i = 0; i < 24; i++) s += Math.floor(Math.random() * 36).toString(36);
  return `----ipfs-storage-${s}`;
}

function quoted(value: string): string {
  // Header parameter values stay ASCII without quotes or line breaks.
  return value.replace(/[^\x20-\x7e]|["\\]/g, '_');
}

/**
 * Encodes `part` as multipart/form-data; the content bytes are copied verbatim.
 * @param boundary a boundary to use (tests); by default a random one is drawn until it does not occur in
 *   the content.
 * @throws RangeError if the given boundary is not a valid token of 1–70 characters or occurs in the content.
 */
export function encodeMultipart(part: MultipartPart, boundary?: string): MultipartBody {
  const content = Buffer.from(part.content.buffer, part.content.byteOffset, part.content.byteLength);
  let b = boundary ?? randomBoundary();
  while (boundary === undefined && content.indexOf(b) !== -1) b = randomBoundary();
  if (b.length < 1 || b.length > 70 || !TOKEN.test(b)) throw new RangeError('invalid multipart boundary');
  if (content.indexOf(b) !== -1) throw new RangeError('multipart boundary occurs in the content');

  const head =
    `--${b}\r\n` +
    `Content-Disposition: form-data; name="${quoted(part.name)}"; filename="${quoted(part.filename)}"\r\n` +
    `Content-Type: ${quoted(part.contentType)}\r\n` +
    `\r\n`;
  const tail = `\r\n--${b}--\r\n`;
  return {
    body: bytesForEngine(Buffer.concat([Buffer.from(head, 'ascii'), content, Buffer.from(tail, 'ascii')])),
    contentType: `multipart/form-data; boundary=${b}`,
  };
}
