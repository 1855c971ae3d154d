/**
 * What an exercise stub throws in a student copy: `throw new NotImplementedError("gae")`. It is a
 * UsageError, so a lab that reaches a stub stops with one line ("error: not implemented yet: gae
 * (lib/rl/returns.ts)") instead of a stack trace, and `deno task grade` shows the same words.
 */
import { UsageError } from "../lib/errors.ts";

const ROOT = new URL("../", import.meta.url).href;

export class NotImplementedError extends UsageError {
  override name = "NotImplementedError";

  constructor(readonly exercise: string) {
    const where = throwSite(new Error().stack ?? "");
    super(`not implemented yet: ${exercise}${where ? ` (${where})` : ""}`);
  }
}

/** The project file of the first stack frame outside this module, relative to the project root. */
function throwSite(stack: string): string | undefined {
  for (const match of stack.matchAll(/(file:\/\/[^\s)]+?):\d+:\d+/g)) {
    if (match[1] !== import.meta.url && match[1].startsWith(ROOT)) return decodeURI(match[1].slice(ROOT.length));
  }
  return undefined;
}
