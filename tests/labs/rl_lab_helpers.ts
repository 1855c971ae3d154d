/**
 * What the tests of the RL labs share: running a lab in this process, reading its
 * scalars, and putting a finished run back in the state a crash after its previous checkpoint
 * leaves, to resume it.
 */
import { join } from "node:path";
import { listCheckpoints } from "../../lib/checkpoint.ts";
import { readRunInfo } from "../../lib/run/run_reader.ts";
import type { RunEvent } from "../../lib/run/types.ts";

export const QUIET = ["--no-dashboard", "--backend", "wasm"];

/** Runs a lab's main in this process into an empty `runsDir`; returns its run directory. */
export async function runLab(main: (args: string[]) => Promise<void>, runsDir: string, flags: string[]) {
  await main([...QUIET, "--runs-dir", runsDir, ...flags]);
  const [entry] = await Array.fromAsync(Deno.readDir(runsDir));
  return join(runsDir, entry.name);
}

export { scalars } from "../helpers.ts";

/** The scalar events that a seeded run must repeat exactly (not speed, which is timing). */
export const learningTrace = (events: RunEvent[]) =>
  events.flatMap((e) =>
    e.kind === "scalar" && !e.key.startsWith("system/") && e.key !== "charts/sps" ? [[e.step, e.key, e.value]] : []
  );

/**
 * Makes a finished run look as if its process had been killed right after its previous
 * checkpoint: the newest checkpoint and summary.json are removed and run.json says "running".
 * Returns the step of the checkpoint a resume will start from.
 */
export async function crashAfterPreviousCheckpoint(dir: string): Promise<number> {
  const [newest, previous] = await listCheckpoints(join(dir, "checkpoints"));
  if (!previous) throw new Error(`${dir} has fewer than two checkpoints`);
  await Deno.remove(join(dir, "checkpoints", newest));
  await Deno.remove(join(dir, "summary.json"));
  const info = await readRunInfo(dir);
  await Deno.writeTextFile(join(dir, "run.json"), JSON.stringify({ ...info, status: "running" }));
  return Number(previous.match(/\d+/)![0]);
}
