import assert from "node:assert/strict";
import { LAB_BENCHES, labFlags, labsToBench, labTable, timeCommand } from "../../bench/lab_cpu.ts";
import { UsageError } from "../../lib/errors.ts";
import { parseFlags } from "../../lib/hparams.ts";

// About a second of one core's work in sh: the CPU time to find, whoever spends it.
const BUSY = "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done";

Deno.test("lab_cpu - --labs gives the named benches in order, and names an unknown lab with the known ones", () => {
  const { config } = parseFlags(labFlags, []);
  assert.deepEqual(labsToBench(config.labs).map((b) => b.lab), ["dqn-cartpole", "ppo-cartpole"]);
  assert.deepEqual(labsToBench("ppo-cartpole, dqn-cartpole,ppo-cartpole").map((b) => b.lab), [
    "ppo-cartpole",
    "dqn-cartpole",
  ]);
  assert.deepEqual(LAB_BENCHES.map((b) => b.envSteps), [50_000, 100_000]);
  assert.throws(() => labsToBench("ppo-cartpole,dqn-pong"), (e: Error) => {
    assert.ok(e instanceof UsageError);
    assert.match(e.message, /unknown lab dqn-pong; known: dqn-cartpole, ppo-cartpole/);
    return true;
  });
  assert.throws(() => labsToBench(" , "), /no lab given/);
});

Deno.test("lab_cpu - the flags parse, and a bad backend is named with the choices", () => {
  const { config } = parseFlags(labFlags, ["--seed", "3", "--backend", "wasm", "--env-steps", "2560"]);
  assert.deepEqual(config, { labs: "", seed: 3, backend: "wasm", envSteps: 2560 });
  assert.equal(parseFlags(labFlags, []).config.backend, "blas");
  assert.throws(() => parseFlags(labFlags, ["--backend", "gpu"]), /Invalid value 'gpu' for --backend.*blas/);
});

Deno.test("lab_cpu - timeCommand counts a busy child's CPU and a grandchild's, not a sleeping one's", async () => {
  const busy = await timeCommand(["sh", "-c", BUSY]);
  assert.ok(busy.cpuSeconds > 0.1, `a busy loop took ${busy.cpuSeconds} CPU s`);
  assert.ok(busy.cpuSeconds <= busy.wallSeconds * 1.05 + 0.02, `one thread: ${busy.cpuSeconds} > ${busy.wallSeconds}`);

  const nested = await timeCommand(["sh", "-c", `sh -c '${BUSY}'; echo done`]);
  assert.ok(nested.cpuSeconds > 0.1, `a grandchild's busy loop gave ${nested.cpuSeconds} CPU s`);
  assert.equal(nested.stdout, "done", "the command's own output, without the times lines");

  const sleeping = await timeCommand(["sleep", "0.3"]);
  assert.ok(sleeping.wallSeconds >= 0.3, `slept ${sleeping.wallSeconds} s`);
  assert.ok(sleeping.cpuSeconds < 0.05, `sleeping took ${sleeping.cpuSeconds} CPU s`);
});

Deno.test("lab_cpu - timeCommand passes env and names a failing command with its status and last words", async () => {
  const echoed = await timeCommand(["sh", "-c", 'echo "$OMP_NUM_THREADS"'], { env: { OMP_NUM_THREADS: "1" } });
  assert.equal(echoed.stdout, "1");
  await assert.rejects(
    () => timeCommand(["sh", "-c", "echo partial; echo 'no such lab' >&2; exit 3"]),
    /'sh -c .*' exited with status 3: no such lab/,
  );
});

Deno.test("lab_cpu - the table puts the ratio of CPU seconds beside both final evaluations", () => {
  const evaluation = { mean: 500, std: 0, episodes: 100 };
  const [header, row, failed] = labTable([
    {
      lab: "ppo-cartpole",
      envSteps: 100_000,
      tflab: { cpuSeconds: 30, wallSeconds: 40, eval: evaluation },
      pytorch: { cpuSeconds: 60, wallSeconds: 70, eval: { ...evaluation, mean: 498.25, std: 3 } },
    },
    { lab: "dqn-cartpole", envSteps: 50_000, tflab: { error: "boom" }, pytorch: { error: "no torch" } },
  ], "blas");
  assert.equal(header[2], "tflab CPU s (blas)");
  assert.deepEqual(row, [
    "ppo-cartpole",
    "100,000",
    "30.0",
    "60.0",
    "0.50x",
    "40.0",
    "70.0",
    "500.0 ± 0.0 (100 ep.)",
    "498.3 ± 3.0 (100 ep.)",
  ]);
  assert.deepEqual(failed.slice(2, 5), ["fails", "fails", ""]);
});
