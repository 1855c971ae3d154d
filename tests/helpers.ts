/** Shared test helpers: tolerance checks, temporary folders, and running the real CLI. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RunEvent } from "../lib/run/types.ts";

export const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url));

/** |actual - expected| <= atol + rtol * |expected|, element-wise, with the first miss named. */
export function assertClose(
  actual: ArrayLike<number> | number,
  expected: ArrayLike<number> | number,
  { rtol = 1e-5, atol = 1e-6 } = {},
): void {
  const a = typeof actual === "number" ? [actual] : Array.from(actual);
  const e = typeof expected === "number" ? [expected] : Array.from(expected);
  assert.equal(a.length, e.length, `length ${a.length} != ${e.length}`);
  for (let i = 0; i < a.length; i++) {
    const tolerance = atol + rtol * Math.abs(e[i]);
    assert.ok(Math.abs(a[i] - e[i]) <= tolerance, `element ${i}: ${a[i]} is not within ${tolerance} of ${e[i]}`);
  }
}

/** Marks the run in `dir` interrupted, as a stopped or killed process leaves it, so that `--resume` takes it. */
export async function markInterrupted(dir: string): Promise<void> {
  const info = JSON.parse(await Deno.readTextFile(join(dir, "run.json")));
  await Deno.writeTextFile(join(dir, "run.json"), JSON.stringify({ ...info, status: "interrupted" }));
}

export async function withTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "tflab-test-" });
  try {
    return await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `deno run -A cli.ts ...args` in the repository, as `deno task lab` does. */
export async function runCli(args: string[]): Promise<CliResult> {
  const output = await cliCommand(args).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

export function cliCommand(args: string[]): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli.ts", ...args],
    cwd: REPO_ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  });
}

/** The (step, value) series of one scalar key in a run's events. */
export const scalars = (events: RunEvent[], key: string) =>
  events.flatMap((e) => (e.kind === "scalar" && e.key === key ? [{ step: e.step, value: e.value }] : []));
