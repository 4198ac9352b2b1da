/** Types of server.mjs, for the TypeScript test that uses it. */
export interface BrowserTestServer {
  readonly url: string;
  /** Requests that could not be served ("GET /path"). */
  readonly missing: string[];
  close(): Promise<void>;
}
export function startServer(port?: number): Promise<BrowserTestServer>;
export const ENTRY_POINTS: readonly string[];
export const CHROMIUM_ARGS: readonly string[];
