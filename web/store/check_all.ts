/** Runs checked at once during a sweep of the runs index: enough to overlap reads, few enough to bound open files and connections. */
const CONCURRENCY = 16;

/** Runs the checks, CONCURRENCY at a time (one that fails changes nothing); true when any changed its run. */
export async function checkAll(checks: readonly (() => Promise<boolean>)[]): Promise<boolean> {
  let changed = false;
  let next = 0;
  const worker = async () => {
    while (next < checks.length) {
      if (await checks[next++]().catch(() => false)) changed = true;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return changed;
}
