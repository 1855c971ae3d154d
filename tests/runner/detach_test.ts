import assert from "node:assert/strict";
import { join } from "node:path";
import { readRunInfo } from "../../lib/run/run_reader.ts";
import { createApp } from "../../web/serve.ts";
import { cliCommand, withTempDir } from "../helpers.ts";

/** Fields of /proc/<pid>/stat after the command name: [2] is the process group, [3] the session. */
const procStat = (pid: number) => Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1].split(" ");
const alive = (pid: number) => Deno.statSync(`/proc/${pid}`).isDirectory;

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

Deno.test({
  name: "detach - the run outlives the command that started it, logs to its run directory, and is listed",
  ignore: Deno.build.os !== "linux",
  async fn() {
    await withTempDir(async (runsDir) => {
      // The starting command runs in a process group of its own, as a shell's job would.
      const args = [
        "lab",
        "vae-mnist",
        "--detach",
        "--backend", // auto would time the backends first (tests/runner/auto_backend_test.ts)
        "wasm",
        "--max-steps",
        "60",
        "--sample-count",
        "0",
        "--no-dashboard",
        "--runs-dir",
        runsDir,
      ];
      const parent = cliCommand(args).spawn();
      const { code, stdout, stderr } = await parent.output();
      const [out, err] = [new TextDecoder().decode(stdout), new TextDecoder().decode(stderr)];
      assert.equal(code, 0, err);
      const runDir = out.trim().split("\n")[0];
      assert.ok(runDir.startsWith(runsDir), out);
      assert.match(err, new RegExp(`tail -f ${runDir}/log\\.txt`));

      // The starter has exited; the lab goes on in a session of its own with stdin closed.
      const pid = (await readRunInfo(runDir)).host.pid;
      assert.ok(alive(pid), "the lab is running after its starter exited");
      assert.equal(
        procStat(pid)[3],
        String(pid),
        "the lab leads its own session (a closing terminal's SIGHUP misses it)",
      );
      assert.notEqual(procStat(pid)[3], procStat(Deno.pid)[3]);
      assert.equal(Deno.readLinkSync(`/proc/${pid}/fd/0`), "/dev/null");
      await assert.rejects(Deno.stat(join(runDir, "summary.json")), Deno.errors.NotFound, "not finished yet");

      // The dashboard lists it while it runs, and it finishes on its own.
      const app = createApp({ runsDir, pollMs: 50, listPollMs: 50 });
      const id = runDir.slice(runsDir.length + 1);
      type Listed = { runs: { id: string; status: string }[] };
      const listed = await (await app.request("/api/runs")).json() as Listed;
      assert.deepEqual(listed.runs.map((r) => [r.id, r.status]), [[id, "running"]]);
      await until("the run to finish", async () => (await readRunInfo(runDir)).status === "finished" || undefined);
      const after = await (await app.request("/api/runs")).json() as Listed;
      assert.deepEqual(after.runs.map((r) => [r.id, r.status]), [[id, "finished"]]);
      const log = await Deno.readTextFile(join(runDir, "log.txt"));
      assert.match(log, new RegExp(`^run: ${runDir}$`, "m"));
      assert.match(log, /^finished: test negative ELBO .* after 60 steps/m);
      assert.deepEqual([...Deno.readDirSync(runsDir)].map((e) => e.name), [id], "no log left behind in the runs dir");
      await until("the lab to exit", () => Promise.resolve(alive(pid) ? undefined : true), 10_000).catch(() => {});
    });
  },
});
