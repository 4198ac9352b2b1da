/** Types of serve.mjs, for the TypeScript test that uses it. */
export interface PlaygroundServer {
  readonly url: string;
  /** Requests that could not be served ("GET /path"). */
  readonly missing: string[];
  close(): Promise<void>;
}
/** The built playground's folder (apps/playground/dist). */
export const DIST: string;
export function startServer(options?: { port?: number; root?: string }): Promise<PlaygroundServer>;
