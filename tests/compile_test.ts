/**
 * The compiled executable (`deno task compile`) away from the repository: run from a temporary
 * folder, with a PATH that has no `deno` on it. One compile per test run (~250 MB, removed after).
 * `deno compile` needs denort (see compile.ts): where it cannot be had (no DENORT_BIN, none
 * cached, dl.deno.land unreachable, as on the project's build machines) the test is ignored.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { compileExecutable, denortSource } from "../compile.ts";
import { withTempDir } from "./helpers.ts";

const denort = await denortSource();

/** PATH without the folders that hold a `deno`. */
function pathWithoutDeno(): string {
  const hasDeno = (dir: string) => {
    try {
      return Boolean(Deno.lstatSync(join(dir, "deno")));
    } catch {
      return false;
    }
  };
  return (Deno.env.get("PATH") ?? "").split(":").filter((dir) => !hasDeno(dir)).join(":");
}

Deno.test({
  name: "compile - the executable runs a lab, the doctor and the dashboard outside the repository, without deno",
  ignore: denort === null,
  async fn() {
    await withTempDir(async (dir) => {
      const exe = join(dir, "tflab");
      const started = performance.now();
      const size = await compileExecutable({ output: exe, check: false });
      console.log(`compiled in ${((performance.now() - started) / 1000).toFixed(0)} s, ${size >> 20} MB`);
      const env = { PATH: pathWithoutDeno(), HOME: dir, NO_COLOR: "1" };
      const run = (args: string[]) =>
        new Deno.Command(exe, { args, cwd: dir, clearEnv: true, env, stdout: "piped", stderr: "piped" });
      const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
      const which = await new Deno.Command("/bin/sh", { args: ["-c", "command -v deno"], clearEnv: true, env })
        .output();
      assert.notEqual(which.code, 0, "deno is on the test's PATH");

      // A lab: MNIST and tfjs's wasm binaries come from inside the executable.
      const lab = await run([
        "lab",
        "vae-mnist",
        "--max-steps",
        "5",
        "--sample-count",
        "0",
        "--no-dashboard",
        "--runs-dir",
        "runs",
      ]).output();
      const labErr = text(lab.stderr);
      assert.equal(lab.code, 0, labErr);
      const runDir = join(dir, /^run: (.+)$/m.exec(labErr)![1]);
      const info = JSON.parse(await Deno.readTextFile(join(runDir, "run.json")));
      assert.equal(info.status, "finished");
      assert.match(info.backend.name, /^(wasm|webgpu)$/);
      assert.ok(JSON.parse(await Deno.readTextFile(join(runDir, "summary.json"))));
      assert.ok([...Deno.readDirSync(join(runDir, "media"))].some((e) => e.name.endsWith(".png")));

      // The doctor knows it is compiled.
      const doctor = await run(["doctor", "--json"]).output();
      assert.equal(doctor.code, 0, text(doctor.stderr));
      assert.equal(JSON.parse(text(doctor.stdout)).deno.compiled, true);

      // The dashboard, with its prebuilt browser bundle.
      const dashboard = run(["dashboard", "--runs-dir", "runs", "--port", "0"]).spawn();
      try {
        const reader = dashboard.stdout.pipeThrough(new TextDecoderStream()).getReader();
        let out = "";
        while (!out.includes("\n")) out += (await reader.read()).value ?? "";
        reader.releaseLock();
        const base = out.split("\n")[0];
        const get = async (path: string) => {
          const response = await fetch(new URL(path, base));
          return { status: response.status, type: response.headers.get("content-type"), body: await response.text() };
        };
        const { runs } = JSON.parse((await get("/api/runs")).body) as { runs: { id: string }[] };
        assert.deepEqual(runs.map((r) => r.id), [info.id]);
        const page = await get(`/runs/${info.id}`);
        assert.equal(page.status, 200);
        // The lab's reference curves come from inside the executable too (references/, an --include).
        assert.match(page.body, /data-testid="reference-label"/);
        const js = await get("/static/islands.js");
        assert.equal(js.status, 200, js.body);
        assert.match(js.type ?? "", /javascript/);
        assert.ok(js.body.length > 10_000, `islands.js is ${js.body.length} bytes`);
        assert.match((await get("/static/dashboard.css")).body, /\.uplot/);
      } finally {
        dashboard.kill("SIGTERM");
        await dashboard.status;
        await dashboard.stdout.cancel().catch(() => {});
        await dashboard.stderr.cancel();
      }
    });
  },
});
