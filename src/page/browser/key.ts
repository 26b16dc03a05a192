/// <reference lib="dom" />

/** The app refused the link's key (spent, too old, not offered, or the user's right has ended): HTTP 403. */
export class KeyRefusedError extends Error {}

/** The file key could not be fetched (network error, or an answer that is neither a key nor a refusal). */
export class KeyFetchError extends Error {}

/**
 * Asks the app once for the file key of `cid` over the link's capability (in a header, as for blocks). The app
 * hands out a link's key once: the caller keeps it only as long as it opens the header, then zeroes it.
 * @throws KeyRefusedError | KeyFetchError
 */
export async function fetchFileKey(keyUrl: string, cid: string, capability: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(`${keyUrl}?${new URLSearchParams({ cid }).toString()}`, {
      method: 'POST',
      headers: { 'x-page-capability': capability },
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (error) {
    throw new KeyFetchError(error instanceof Error ? error.message : String(error));
  }
  if (response.status === 403) throw new KeyRefusedError();
  if (response.status !== 200) throw new KeyFetchError(`HTTP ${response.status} for the file key`);
  const body = (await response.json()) as { fileKey?: unknown };
  if (typeof body.fileKey !== 'string') throw new KeyFetchError('no file key in the answer');
  const binary = atob(body.fileKey);
  const key = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  if (key.length !== 32) throw new KeyFetchError('a file key of the wrong length');
  return key;
}
