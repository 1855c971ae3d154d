/**
 * `deno task dashboard [--runs-dir DIR | --store URL] [--host H] [--port P] [--token T]`: serves
 * every run under the runs directory (or in a PostgreSQL run store, followed live with
 * LISTEN/NOTIFY) until Ctrl-C, and prints its URL on a line of its own.
 */
import { formatFlags, parseFlags } from "../lib/hparams.ts";
import { UsageError } from "../lib/errors.ts";
import { parseStoreUrl } from "../lib/run/store_url.ts";
import { serveDashboard } from "./serve.ts";
import type { SharedRuns } from "./store/run_store.ts";

export const dashboardFlags = {
  runsDir: { type: "string", default: "runs", help: "folder that holds the run directories" },
  store: {
    type: "string",
    default: "",
    help: "serve the runs of a PostgreSQL run store instead: postgres://user[:password]@host[:port]/database",
  },
  host: {
    type: "string",
    default: "127.0.0.1",
    help: "address to listen on; anything but loopback requires a token (one is generated if not given)",
  },
  port: { type: "int", default: 8000, min: 0, max: 65535, help: "port to listen on; 0 picks a free one" },
  token: { type: "string", default: "", help: "access token asked of every request (default: none on loopback)" },
  allowedHosts: {
    type: "string",
    default: "",
    help: "comma-separated extra host names the server may be reached by (e.g. a DNS name)",
  },
} as const;

export const dashboardHelp = (): string =>
  `usage: deno task dashboard [--flag value ...]\n\nServes the live dashboard of every run.\n\n${
    formatFlags(dashboardFlags)
  }`;

export async function runDashboard(argv: readonly string[]): Promise<void> {
  if (argv.includes("--help") || argv.includes("-h")) return console.log(dashboardHelp());
  const { config } = parseFlags(dashboardFlags, argv);
  const shared = config.store ? await connectShared(config.store) : undefined;
  let served;
  try {
    served = await serveDashboard({
      runsDir: config.runsDir,
      shared,
      host: config.host,
      port: config.port,
      token: config.token || undefined,
      allowedHosts: config.allowedHosts.split(",").map((h) => h.trim()).filter(Boolean),
    });
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) {
      throw new UsageError(`Port ${config.port} is in use. Pick another with --port, or --port 0 for any free one.`);
    }
    if (error instanceof Deno.errors.AddrNotAvailable) throw new UsageError(`Cannot listen on ${config.host}.`);
    throw error;
  }
  console.error(`dashboard: serving runs from ${shared?.store.location ?? config.runsDir} (Ctrl-C to stop)`);
  console.log(served.url);
  const stop = () => served.shutdown().then(() => Deno.exit(0));
  Deno.addSignalListener("SIGINT", stop);
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
}

/**
 * The shared run store and its LISTEN/NOTIFY follower: a server that cannot be used stops the
 * dashboard here, exit 2, naming host and database (never the password).
 */
async function connectShared(store: string): Promise<SharedRuns> {
  const url = parseStoreUrl(store, "--store");
  const { PostgresStore } = await import("../lib/run/postgres_store.ts");
  const { PostgresFollower } = await import("../lib/run/postgres_follow.ts");
  const { readStoredSweeps } = await import("../lib/sweep/stored_sweeps.ts");
  const runs = await PostgresStore.connect(url);
  const follower = await PostgresFollower.start(runs);
  // A live page rereads at least every 5 s: a run's status can change without new events.
  return {
    store: runs,
    wait: (id, afterSeq, signal) => follower.waitForEvents(id, afterSeq, { timeoutMs: 5000, signal }),
    onBatch: (listener) => follower.onBatch(listener),
    sweeps: (id) => readStoredSweeps(runs.pool, id),
  };
}
