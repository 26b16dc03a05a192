// Local stand-in for jsr:@std/io (jsr is unreachable here). The Deno runtime of the apps-engine only uses writeAll.
/** Writes every byte of `data` to `writer`, looping over partial writes. */
export async function writeAll(writer: { write(p: Uint8Array): Promise<number> }, data: Uint8Array): Promise<void> {
  let written = 0;
  while (written < data.byteLength) {
    written += await writer.write(data.subarray(written));
  }
}
