/**
 * The two PostgreSQL job queues on npm that the sweeps could use, tried under Deno against a real
 * server (a temporary one, tests/postgres_server.ts): schema install, enqueue, a lease that
 * expires when its worker is killed with -9, a retry after a failure, and a server restart under
 * a running worker. The figures behind the choice in docs/run_store.md:
 *
 *   deno run -A bench/queue_compare.ts
 *
 * graphile-worker is imported here only, by its exact version; the project depends on pg-boss.
 */
import { PgBoss } from "pg-boss";
// deno-lint-ignore no-import-prefix -- the one file that uses it: kept out of deno.json's imports, pinned by version and lock
import { Logger, makeWorkerUtils, run } from "npm:graphile-worker@0.18.0";
import { type PostgresServer, startPostgres } from "../tests/postgres_server.ts";

const quiet = new Logger(() => () => {});
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

/** Polls `probe` until it gives a value or `ms` pass. */
async function until<T>(probe: () => Promise<T | null | undefined>, ms: number): Promise<T | null> {
  const start = performance.now();
  while (performance.now() - start < ms) {
    const value = await probe().catch(() => null);
    if (value) return value;
    await sleep(100);
  }
  return null;
}

/** A worker in another process that takes one job, says "leased", and is then killed with -9. */
async function killedWorker(kind: "boss" | "graphile", url: string): Promise<void> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", import.meta.filename!, `--hang-${kind}`, url],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.getReader();
  for (let text = ""; !text.includes("leased");) text += new TextDecoder().decode((await reader.read()).value);
  child.kill("SIGKILL");
  await child.status;
}

async function hang(kind: string, url: string): Promise<never> {
  const leased = () => console.log("leased");
  if (kind === "--hang-boss") {
    const boss = await new PgBoss({ connectionString: url }).start();
    await boss.fetch("trials");
    leased();
  } else {
    const taskList = { trial: async () => (leased(), await sleep(3_600_000)) };
    await run({ connectionString: url, noHandleSignals: true, pollInterval: 200, logger: quiet, taskList });
  }
  return await sleep(3_600_000) as never;
}

async function pgBoss(server: PostgresServer): Promise<void> {
  const url = await server.createDatabase("boss");
  let start = performance.now();
  const boss = new PgBoss({ connectionString: url, superviseIntervalSeconds: 1, monitorIntervalSeconds: 1 });
  boss.on("error", () => {}); // connections cut by the restart below are reported here; pg-boss reconnects
  await boss.start();
  console.log(`pg-boss 12.38.0: schema installed in ${seconds(start)}`);
  // A trial's lease: a worker heartbeats every few seconds; 10 s without one and the job is retried.
  await boss.createQueue("trials", { retryLimit: 2, retryDelay: 0, heartbeatSeconds: 10 });
  await boss.send("trials", { lab: "vae-mnist", seed: 1 });
  await killedWorker("boss", url);
  start = performance.now();
  const again = await until(async () => (await boss.fetch("trials"))[0], 60_000);
  console.log(`  lease: the job of a worker killed with -9 is leased again after ${seconds(start)}`);
  await boss.fail("trials", again!.id, { reason: "a failing trial" });
  start = performance.now();
  const retried = await until(async () => (await boss.fetch("trials"))[0], 10_000);
  console.log(`  retry: a failed job is leased again after ${seconds(start)} (retryDelay 0; backoff optional)`);
  await boss.fail("trials", retried!.id);
  const [last] = await boss.findJobs("trials", { id: retried!.id });
  console.log(`  retryLimit 2: after three attempts the job is ${last.state}`);
  const handled: string[] = [];
  await boss.work<{ tag: string }>("trials", { pollingIntervalSeconds: 0.5 }, ([job]) => {
    handled.push(job.data.tag);
    return Promise.resolve();
  });
  await server.restart();
  start = performance.now();
  await until(() => boss.send("trials", { tag: "after the restart" }), 30_000);
  await until(() => Promise.resolve(handled.length > 0), 30_000);
  console.log(`  server restart: the running worker handled ${JSON.stringify(handled)} ${seconds(start)} later`);
  await boss.stop({ graceful: false });
}

async function graphileWorker(server: PostgresServer): Promise<void> {
  const url = await server.createDatabase("graphile");
  let start = performance.now();
  const utils = await makeWorkerUtils({ connectionString: url, logger: quiet });
  await utils.migrate();
  console.log(`graphile-worker 0.18.0: schema installed in ${seconds(start)}`);
  await utils.addJob("trial", { tag: "trial of the killed worker" }, { maxAttempts: 3 });
  await killedWorker("graphile", url);
  const handled: string[] = [];
  const runner = await run({
    connectionString: url,
    noHandleSignals: true,
    pollInterval: 200,
    logger: quiet,
    taskList: {
      trial: (payload) => {
        const { tag } = payload as { tag: string };
        handled.push(tag);
        if (tag === "failing") throw new Error("a failing trial");
      },
    },
  });
  await sleep(10_000);
  console.log(
    `  lease: a new worker got ${JSON.stringify(handled)} in 10 s (a locked job is freed after a fixed ` +
      "4 hours, or by forceUnlockWorkers with the dead worker's id)",
  );
  start = performance.now();
  await utils.addJob("trial", { tag: "failing" }, { maxAttempts: 2 });
  await until(() => Promise.resolve(handled.filter((tag) => tag === "failing").length === 2), 30_000);
  console.log(`  retry: 2 attempts in ${seconds(start)} (backoff exp(attempt) s, fixed)`);
  await server.restart();
  start = performance.now();
  await until(() => utils.addJob("trial", { tag: "after the restart" }), 30_000);
  await until(() => Promise.resolve(handled.includes("after the restart")), 30_000);
  console.log(`  server restart: the running worker handled the next job ${seconds(start)} later`);
  await runner.stop();
  await utils.release();
}

if (import.meta.main) {
  if (Deno.args[0]?.startsWith("--hang-")) await hang(Deno.args[0], Deno.args[1]);
  const server = await startPostgres();
  try {
    await pgBoss(server);
    await graphileWorker(server);
  } finally {
    await server.stop();
  }
  Deno.exit(0); // graphile-worker's runner keeps timers after stop()
}
