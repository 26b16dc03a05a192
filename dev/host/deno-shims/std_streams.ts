// Local stand-in for jsr:@std/streams (jsr is unreachable here). The runtime only uses toArrayBuffer.
/** Reads a whole byte stream (a ReadableStream is async-iterable in Deno) into one ArrayBuffer. */
export async function toArrayBuffer(readable: AsyncIterable<Uint8Array>): Promise<ArrayBuffer> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of readable) {
    chunks.push(chunk);
    length += chunk.byteLength;
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out.buffer;
}
