/**
 * Serving the dashboard: `serveDashboard` binds (127.0.0.1 by default), starts the islands
 * build, and returns the URL to print, with the token in it when there is one. Binding beyond
 * loopback without a token generates one: a dashboard reachable from the network is never open.
 */
import { type AppOptions, createApp } from "./app.ts";
import { indexCacheFile } from "./store/run_index_cache.ts";
import { islandsBundle } from "./bundle.ts";
import { allowedHostNames, isLoopback } from "./security/host_check.ts";
import { newToken } from "./security/token_auth.ts";

export { createApp } from "./app.ts";
export type { AppOptions } from "./app.ts";

export interface ServeOptions {
  runsDir: string;
  /** runs from a shared run store instead of runsDir */
  shared?: AppOptions["shared"];
  /** address to bind; default 127.0.0.1 */
  host?: string;
  /** port; 0 picks a free one; default 8000 */
  port?: number;
  /** access token; generated when host is not loopback and none is given */
  token?: string;
  /** more names the Host header may carry (a DNS name the server is reached by) */
  allowedHosts?: string[];
}

export interface ServedDashboard {
  url: string;
  shutdown(): Promise<void>;
}

export async function serveDashboard(options: ServeOptions): Promise<ServedDashboard> {
  const host = options.host ?? "127.0.0.1";
  const token = options.token || (isLoopback(host) ? undefined : newToken());
  const closing = new AbortController();
  const app = createApp({
    // Only a runs folder's index is kept between starts; a shared store's is built from the database at each start.
    indexCacheFile: options.shared ? null : await indexCacheFile(options.runsDir),
    runsDir: options.runsDir,
    shared: options.shared,
    token,
    host,
    allowedHosts: allowedHostNames(host, options.allowedHosts),
    closing: closing.signal,
  });
  islandsBundle().catch((error) => console.error(`dashboard: the islands bundle failed to build: ${error.message}`));
  const { promise: listening, resolve } = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({ hostname: host, port: options.port ?? 8000, onListen: resolve }, app.fetch);
  const address = await listening;
  const shown = host === "0.0.0.0" || host === "::" ? Deno.hostname() : host;
  const url = new URL(`http://${shown.includes(":") ? `[${shown}]` : shown}:${address.port}/`);
  if (token) url.searchParams.set("token", token);
  return {
    url: url.href,
    async shutdown() {
      closing.abort(); // live streams end first; a graceful shutdown would wait on them forever
      await server.shutdown();
    },
  };
}
