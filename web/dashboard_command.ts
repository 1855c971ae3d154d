/**
 * `deno task dashboard [--runs-dir DIR] [--host H] [--port P] [--token T]`: serves every run
 * under the runs directory until Ctrl-C, and prints its URL on a line of its own.
 */
import { formatFlags, parseFlags } from "../lib/hparams.ts";
import { UsageError } from "../lib/errors.ts";
import { serveDashboard } from "./serve.ts";

export const dashboardFlags = {
  runsDir: { type: "string", default: "runs", help: "folder that holds the run directories" },
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
  let served;
  try {
    served = await serveDashboard({
      runsDir: config.runsDir,
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
  console.error(`dashboard: serving runs from ${config.runsDir} (Ctrl-C to stop)`);
  console.log(served.url);
  const stop = () => served.shutdown().then(() => Deno.exit(0));
  Deno.addSignalListener("SIGINT", stop);
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
}
