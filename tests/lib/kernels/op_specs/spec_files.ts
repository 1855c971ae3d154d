/**
 * Which of tfjs-core's shipped specs run against the project's kernels: every op spec (`ops/`,
 * with its `fused/`, `image/`, `linalg/`, ... folders) and every optimiser spec. Nearly every op
 * reaches a kernel the project replaces (Identity clones every saved tensor, Sum and Mean are in
 * most gradients), so all of them run, not a hand-picked few.
 */
import { join } from "node:path";
import { TFJS_DIST } from "./spec_loader.ts";

export function specFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of Deno.readDirSync(join(TFJS_DIST, dir))) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) walk(path);
      else if (entry.name.endsWith("_test.js")) files.push(path);
    }
  };
  walk("ops");
  walk("optimizers");
  return files.sort();
}

/** The project's Adam stands in for tf.train.adam in tfjs's Adam specs. */
export const indexFor = (file: string): string | undefined =>
  file === "optimizers/adam_optimizer_test.js" ? import.meta.resolve("./tfjs_index_fused_adam.ts") : undefined;
