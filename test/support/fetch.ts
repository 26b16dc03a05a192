/** Node's global fetch, typed by hand: @types/node 16 (pinned for the apps-cli) does not declare it. */
export interface FetchResponse {
  status: number;
  headers: { get(name: string): string | null };
  json(): Promise<unknown>;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** The subset of RequestInit the tests use. */
export interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer | URLSearchParams;
}

/** `fetch(url, init)` as Node 20 provides it. */
export const fetch = (globalThis as unknown as { fetch: (url: string, init?: FetchInit) => Promise<FetchResponse> })
  .fetch;
