/**
 * Sweeps across machines through a real PostgreSQL server (one per file, a database per test):
 * `deno task sweep ... --store URL` queues, `deno task worker --store URL` processes run the
 * trials as lab processes (tabular Q-learning, about a second per trial; diffusion-mnist for a
 * trial that fails). The faults the issue names: a worker killed with -9 mid-trial (another
 * resumes the run from its stored checkpoint, bit for bit), the server restarted mid-sweep, many
 * workers on a short lease, a failing trial, and a server that cannot be used.
 */
import assert from "node:assert/strict";
import pg from "pg";
import { parseEventLines } from "../../lib/run/run_reader.ts";
import type { RunEvent, RunInfo } from "../../lib/run/types.ts";
import type { SweepReport } from "../../lib/sweep/report.ts";
import { learningTrace } from "../labs/rl_lab_helpers.ts";
import { cliCommand, runCli, withTempDir } from "../helpers.ts";
import { sharedPostgres, SKIP_POSTGRES } from "../postgres_server.ts";
import { readEvents } from "../../lib/run/run_reader.ts";
import { join } from "node:path";
import { TINY_DIFFUSION } from "./tiny_diffusion.ts";

const postgres = sharedPostgres();
const LAB = "qlearning-frozenlake";
const SHORT = ["--total-timesteps", "20000", "--eval-every", "20000", "--eval-episodes", "100", "--log-every", "5000"];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function queueSweep(url: string, args: string[]): Promise<string> {
  const [lab, ...rest] = args;
  const { code, stdout, stderr } = await runCli(["sweep", lab, "--store", url, ...rest]);
  assert.equal(code, 0, stderr);
  return stdout.trim();
}

function startWorker(url: string, logsDir: string, name: string) {
  return cliCommand(["worker", "--store", url, "--runs-dir", logsDir, "--name", name]).spawn();
}

async function finishes(worker: Deno.ChildProcess): Promise<string> {
  const { code, stderr } = await worker.output();
  const text = new TextDecoder().decode(stderr);
  assert.equal(code, 0, text);
  return text;
}

/** A query against the test database, on a connection of its own. */
async function query<R extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

const runsOf = async (url: string) =>
  (await query<{ info: string }>(url, "select info::text as info from tflab.runs")).map((r) =>
    JSON.parse(r.info) as RunInfo
  );

async function eventsOf(url: string, run: string): Promise<RunEvent[]> {
  const rows = await query<{ line: string }>(
    url,
    "select line::text as line from tflab.events where run_id = $1 order by seq",
    [
      run,
    ],
  );
  return parseEventLines(rows.map((r) => r.line).join("\n"));
}

async function report(url: string, id: string): Promise<SweepReport> {
  const { code, stdout, stderr } = await runCli(["sweep", "report", id, "--json", "--store", url]);
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout);
}

/** No step of any scalar key appears twice in a run, and seqs run 1, 2, 3, ... */
function assertNoStepTwice(events: RunEvent[]): void {
  assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => i + 1), "seqs without gaps or repeats");
  const seen = new Set<string>();
  for (const e of events.filter((e) => e.kind === "scalar")) {
    const key = `${e.kind === "scalar" ? e.key : ""}@${e.step}`;
    assert.ok(!seen.has(key), `${key} logged twice`);
    seen.add(key);
  }
}

type TrialRow = { id: string; status: string; run?: string; error?: string; attempts: Record<string, string>[] };
const trialsOf = async (url: string, sweep: string) =>
  (await query<{ trial: TrialRow }>(url, "select trial from tflab.sweep_trials where sweep_id = $1 order by id", [
    sweep,
  ]))
    .map((r) => r.trial);

Deno.test({
  name: "worker - killed with -9 mid-trial: another worker resumes the run from its stored checkpoint, bit for bit",
  ignore: SKIP_POSTGRES,
  fn: async () => {
    const server = await postgres();
    const url = await server.createDatabase();
    // 1.2M env steps (about 8 s), a checkpoint every 100k: the worker is killed after its third.
    const flags = ["--total-timesteps", "1200000", "--checkpoint-every", "100000", "--log-every", "20000"];
    const lab = [...flags, "--eval-every", "600000", "--eval-episodes", "200", "--seed", "3"];
    await withTempDir(async (dir) => {
      const sweep = await queueSweep(url, [
        LAB,
        "--seeds",
        "3",
        "--lease",
        "10",
        "--",
        ...flags,
        "--eval-every",
        "600000",
        "--eval-episodes",
        "200",
      ]);
      const first = startWorker(url, dir, "first");
      const reference = runCli(["lab", LAB, ...lab, "--no-dashboard", "--runs-dir", join(dir, "reference")]);
      let checkpointed = 0;
      while (checkpointed < 300_000) {
        await sleep(100);
        const rows = await query<{ path: string }>(
          url,
          "select path from tflab.artifacts where path like 'checkpoints/%'",
        );
        checkpointed = Math.max(0, ...rows.map((r) => Number(r.path.match(/\d+/)![0])));
      }
      first.kill("SIGKILL");
      await first.status;
      const [killed] = await runsOf(url);
      assert.equal(killed.status, "running", "the worker was killed before its trial finished");

      const log = await finishes(startWorker(url, dir, "second"));
      assert.match(log, /t001 seed 3: resumed/);
      const [trial] = await trialsOf(url, sweep);
      assert.equal(trial.status, "done");
      assert.deepEqual(trial.attempts.map((a) => [a.worker, a.outcome]), [["first", "interrupted"], [
        "second",
        "finished",
      ]]);
      assert.match(trial.attempts[0].error, /lease expired/);
      const [run] = await runsOf(url);
      assert.equal(run.id, trial.run);
      assert.equal(run.status, "finished");
      assert.equal(run.host.worker, "second");
      assert.deepEqual(run.resumes.map((r) => r.worker), ["second"]);
      assert.ok(run.resumes[0].fromStep >= 300_000 && run.resumes[0].fromStep < 1_200_000);

      const { code, stderr } = await reference;
      assert.equal(code, 0, stderr);
      const referenceDir = join(
        dir,
        "reference",
        (await Array.fromAsync(Deno.readDir(join(dir, "reference"))))[0].name,
      );
      const events = await eventsOf(url, run.id);
      assertNoStepTwice(events);
      assert.deepEqual(learningTrace(events), learningTrace(await readEvents(referenceDir)));
      const [summary] = await query<{ text: string }>(
        url,
        "select convert_from(bytes, 'UTF8') as text from tflab.artifacts where run_id = $1 and path = 'summary.json'",
        [run.id],
      );
      const expected = JSON.parse(await Deno.readTextFile(join(referenceDir, "summary.json")));
      const got = JSON.parse(summary.text);
      assert.deepEqual([got["eval/mean_return"], got.episodes], [expected["eval/mean_return"], expected.episodes]);
      assert.equal((await report(url, sweep)).rows[0].mean, expected["eval/mean_return"]);
    });
  },
});

Deno.test({
  name: "worker - four workers on a 10 s lease never run one trial twice; a failing trial is retried, then failed",
  ignore: SKIP_POSTGRES,
  fn: async () => {
    const server = await postgres();
    const url = await server.createDatabase();
    await withTempDir(async (dir) => {
      const lake = await queueSweep(url, [
        LAB,
        "--grid",
        "alpha=0.05,0.1,0.2",
        "--seeds",
        "1-3",
        "--lease",
        "10",
        "--",
        ...SHORT,
      ]);
      const bad = await queueSweep(url, [
        "diffusion-mnist",
        "--grid",
        "width=5",
        "--retries",
        "1",
        "--lease",
        "10",
        "--",
        ...TINY_DIFFUSION,
      ]);
      const names = ["w1", "w2", "w3", "w4"];
      const logs = await Promise.all(names.map((name) => finishes(startWorker(url, dir, name))));

      const trials = await trialsOf(url, lake);
      const runs = await runsOf(url);
      assert.equal(trials.length, 9);
      for (const trial of trials) {
        assert.equal(trial.status, "done", JSON.stringify(trial));
        assert.equal(trial.attempts.length, 1, `${trial.id} ran ${trial.attempts.length} times`);
        const run = runs.find((r) => r.id === trial.run)!;
        assert.deepEqual(run.sweep, { id: lake, trial: trial.id });
        assert.equal(run.status, "finished");
        assert.equal(run.host.worker, trial.attempts[0].worker, "run.json names the worker that ran it");
      }
      assert.equal(runs.filter((r) => r.sweep?.id === lake).length, 9, "one run per trial");
      assert.ok(new Set(trials.map((t) => t.attempts[0].worker)).size >= 2, "the trials were shared out");

      const [failed] = await trialsOf(url, bad);
      assert.equal(failed.status, "failed");
      assert.deepEqual(failed.attempts.map((a) => a.outcome), ["failed", "failed"], "tried once more (--retries 1)");
      assert.match(failed.error!, /width must be even/);
      assert.match(logs.join("\n"), /diffusion-mnist-\w+\/t001: failed .*gives up/);
      const rows = (await report(url, lake)).rows;
      assert.deepEqual(rows.map((r) => r.n), [3, 3, 3]);
    });
  },
});

Deno.test({
  name: "worker - the server restarted mid-sweep: workers reconnect and every trial runs once to completion",
  ignore: SKIP_POSTGRES,
  fn: async () => {
    const server = await postgres();
    const url = await server.createDatabase();
    await withTempDir(async (dir) => {
      const longer = [
        "--total-timesteps",
        "300000",
        "--eval-every",
        "300000",
        "--eval-episodes",
        "100",
        "--log-every",
        "5000",
      ];
      const sweep = await queueSweep(url, [LAB, "--grid", "alpha=0.05,0.1", "--seeds", "1-2", "--", ...longer]);
      const workers = ["a", "b"].map((name) => startWorker(url, dir, name));
      while (!(await runsOf(url)).some((r) => r.status === "running")) await sleep(100);
      await server.restart();
      await Promise.all(workers.map(finishes));

      const trials = await trialsOf(url, sweep);
      const runs = await runsOf(url);
      assert.equal(runs.length, 4, `runs: ${runs.map((r) => `${r.id} ${r.status}`)}`);
      for (const trial of trials) {
        assert.equal(trial.status, "done", JSON.stringify(trial));
        assert.equal(trial.attempts.filter((a) => a.outcome === "finished").length, 1);
        const run = runs.find((r) => r.id === trial.run)!;
        assert.equal(run.status, "finished");
        assertNoStepTwice(await eventsOf(url, run.id));
      }
    });
  },
});

Deno.test({
  name:
    "worker, sweep, report, dashboard --store - a wrong password, a missing database, a closed port, a bad value: exit 2, nothing written",
  ignore: SKIP_POSTGRES,
  fn: async () => {
    const server = await postgres();
    const url = await server.createDatabase();
    const nobody = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const closed = (nobody.addr as Deno.NetAddr).port;
    nobody.close();
    const cases: [string, RegExp][] = [
      [url.replace(server.password, "not-it"), /refused user "tflab_test": wrong password/],
      [server.url("nope"), /database "nope": the database "nope" does not exist/],
      [
        `postgres://tflab_test:${server.password}@127.0.0.1:${closed}/runs`,
        new RegExp(`127\\.0\\.0\\.1:${closed}, database "runs": connection refused`),
      ],
    ];
    await withTempDir(async (dir) => {
      for (const [bad, expected] of cases) {
        const commands = [
          ["worker", "--store", bad, "--runs-dir", dir],
          ["sweep", LAB, "--store", bad, "--", ...SHORT],
          ["sweep", "report", "any-sweep", "--store", bad],
          ["dashboard", "--store", bad, "--port", "0"],
        ];
        for (const command of commands) {
          const started = performance.now();
          const { code, stdout, stderr } = await runCli(command);
          assert.equal(code, 2, `${command[0]}: ${stderr}`);
          assert.match(stderr, expected);
          assert.ok(!(stdout + stderr).includes(server.password), `the password is printed:\n${stderr}`);
          assert.ok(performance.now() - started < 15_000);
        }
      }
      assert.deepEqual([...Deno.readDirSync(dir)], [], "something was written");
    });
    // A bad value is refused by the lab's parser before the server is even reached.
    const refused = await runCli(["sweep", LAB, "--store", url, "--grid", "alpha=0.1,fast", "--", ...SHORT]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /Invalid value 'fast' for --alpha/);
    const tables = await query(url, "select table_name from information_schema.tables where table_schema = 'tflab'");
    assert.deepEqual(tables, [], "nothing was created");
  },
});
