/**
 * `deno task store <list | export | import> --store postgres://...`: the runs of a PostgreSQL
 * run store, and moving a run between it and a run folder, exactly (lib/run/run_transfer.ts).
 *
 *   deno task store list   --store URL
 *   deno task store export --store URL <run-id> <new-folder>
 *   deno task store import --store URL <run-folder> [<run-folder> ...]
 */
import { parseArgs } from "node:util";
import { UsageError } from "../lib/errors.ts";
import { PostgresStore } from "../lib/run/postgres_store.ts";
import { exportRun, importRun } from "../lib/run/run_transfer.ts";
import { parseStoreUrl } from "../lib/run/store_url.ts";

const USAGE = `usage: deno task store list   --store postgres://user[:password]@host[:port]/database
       deno task store export --store URL <run-id> <new-folder>   (the run as a run folder, byte for byte)
       deno task store import --store URL <run-folder> ...         (run folders into the store, exactly)
The password may come from PGPASSWORD or ~/.pgpass instead of the URL.`;

export async function runStoreCommand(argv: string[]): Promise<void> {
  if (argv.includes("--help") || argv.includes("-h")) return console.log(USAGE);
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { store: { type: "string" } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const [action, ...rest] = parsed.positionals;
  if (!parsed.values.store) throw new UsageError(`name the store with --store.\n${USAGE}`);
  const wanted = { list: 0, export: 2, import: -1 }[action as "list" | "export" | "import"];
  if (wanted === undefined || (wanted >= 0 && rest.length !== wanted) || (wanted < 0 && !rest.length)) {
    throw new UsageError(`${action ? `'${[action, ...rest].join(" ")}'` : "no action"}: expected\n${USAGE}`);
  }
  const store = await PostgresStore.connect(parseStoreUrl(parsed.values.store, "--store"));
  try {
    if (action === "list") {
      for (const run of await store.list()) {
        console.log(`${run.id.padEnd(44)} ${run.status.padEnd(12)} ${run.createdAt}`);
      }
    } else if (action === "export") {
      await exportRun(store, rest[0], rest[1]);
      console.log(`exported ${store.location}#${rest[0]} -> ${rest[1]}`);
    } else {
      for (const dir of rest) console.log(`imported ${dir} -> ${store.location}#${await importRun(store, dir)}`);
    }
  } finally {
    await store.close();
  }
}
