/**
 * Ctrl-C and `kill` ask a sweep or a worker to stop its trials cleanly (each lab checkpoints and
 * stops) instead of ending the process at once: `body` runs with SIGINT and SIGTERM routed to
 * `stop`, and the listeners go when it ends.
 */
export async function withStopSignals<T>(stop: () => void, body: () => Promise<T>): Promise<T> {
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  for (const signal of signals) Deno.addSignalListener(signal, stop);
  try {
    return await body();
  } finally {
    for (const signal of signals) Deno.removeSignalListener(signal, stop);
  }
}
