/**
 * Sweeps across workers on this machine, through a real PostgreSQL server (a temporary one,
 * tests/postgres_server.ts): 100 smoke trials of qlearning-frozenlake (1,000 env steps each)
 * queued with `sweep --store` and run by 1, 2 and 4 `deno task worker` processes; the same 100
 * trials by the local sweep (`--parallel 1`, run folders, no queue) as the baseline, so that
 * (1 worker - local) / 100 is the queue and store's cost per trial. Then how many events per
 * second one run writes to the store (batched INSERTs, as a lab logs them).
 *
 *   deno run -A bench/worker_sweep.ts
 */
import { PostgresStore } from "../lib/run/postgres_store.ts";
import { parseStoreUrl } from "../lib/run/store_url.ts";
import type { RunInfo } from "../lib/run/types.ts";
import { cliCommand, runCli } from "../tests/helpers.ts";
import { startPostgres } from "../tests/postgres_server.ts";

const TRIALS = ["--grid", "alpha=0.01,0.02,0.03,0.05,0.07,0.1,0.15,0.2,0.3,0.5", "--seeds", "1-10"];
const SMOKE = [
  "--",
  "--total-timesteps",
  "1000",
  "--eval-every",
  "1000",
  "--eval-episodes",
  "10",
  "--log-every",
  "500",
];

async function must(args: string[]): Promise<string> {
  const { code, stdout, stderr } = await runCli(args);
  if (code !== 0) throw new Error(`${args.join(" ")}: ${stderr}`);
  return stdout;
}

const seconds = (since: number) => (performance.now() - since) / 1000;
const load = () => Deno.loadavg().map((l) => l.toFixed(2)).join(" ");

const server = await startPostgres();
const dir = await Deno.makeTempDir({ prefix: "tflab-bench-" });
try {
  console.log(`load average before: ${load()} (${navigator.hardwareConcurrency} CPUs)`);
  let start = performance.now();
  await must(["sweep", "qlearning-frozenlake", ...TRIALS, "--parallel", "1", "--runs-dir", `${dir}/local`, ...SMOKE]);
  const local = seconds(start);
  console.log(`local sweep, 1 at a time: 100 trials in ${local.toFixed(1)} s (${(local * 10).toFixed(0)} ms a trial)`);
  for (const workers of [1, 2, 4]) {
    const url = await server.createDatabase();
    await must(["sweep", "qlearning-frozenlake", "--store", url, ...TRIALS, ...SMOKE]);
    start = performance.now();
    const running = Array.from(
      { length: workers },
      (_, i) => cliCommand(["worker", "--store", url, "--runs-dir", `${dir}/logs`, "--name", `w${i}`]).output(),
    );
    for (const output of await Promise.all(running)) if (!output.success) throw new Error("a worker failed");
    const took = seconds(start);
    const line = `${workers} worker${workers > 1 ? "s" : ""}: 100 trials in ${took.toFixed(1)} s`;
    const overhead = workers === 1 ? `; queue + store ${((took - local) * 10).toFixed(0)} ms a trial over local` : "";
    console.log(`${line} (${(took * 10).toFixed(0)} ms a trial)${overhead}; load ${load()}`);
  }

  const store = await PostgresStore.connect(parseStoreUrl(await server.createDatabase(), "--store"));
  const info = { id: "bench-events", status: "running", createdAt: new Date().toISOString() } as RunInfo;
  const run = await store.create(info);
  const events = 100_000;
  start = performance.now();
  for (let seq = 1; seq <= events; seq++) {
    const line = JSON.stringify({
      seq,
      time: Date.now(),
      step: seq,
      kind: "scalar",
      key: "train/loss",
      value: 1 / seq,
    });
    run.appendEvent(seq, line + "\n");
    if (seq % 5000 === 0) await new Promise((resolve) => setTimeout(resolve, 0)); // let batches go out as a lab does
  }
  await run.flushEvents();
  console.log(
    `one run: ${events} events stored in ${seconds(start).toFixed(2)} s (${
      (events / seconds(start)).toFixed(0)
    } events/s)`,
  );
  await store.close();
} finally {
  await server.stop();
  await Deno.remove(dir, { recursive: true });
}
