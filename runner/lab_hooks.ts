/**
 * What the floors above the runner add to a lab's start, without the runner knowing them: the
 * command line (cli.ts) installs the course's check for unwritten exercises (course/lab_hook.ts)
 * and the live dashboard (web/lab_dashboard.ts). A lab started without them (its `main` called
 * from a test, or its file run directly) trains the same, with no dashboard and no course check.
 */
export interface LabDashboard {
  url: string;
  stop(): Promise<void>;
}

export interface LabHooks {
  /** before anything is parsed or written: may refuse the lab by throwing (a UsageError says why) */
  beforeStart: ((labId: string) => Promise<void>)[];
  /** serves the dashboard on a runs folder, opened at one run, while that run trains */
  serveDashboard?: (runsDir: string, runId: string) => Promise<LabDashboard>;
}

export const labHooks: LabHooks = { beforeStart: [] };

/** Adds a check to every lab's start. */
export function onLabStart(check: (labId: string) => Promise<void>): void {
  if (!labHooks.beforeStart.includes(check)) labHooks.beforeStart.push(check);
}

/** Sets what serves the dashboard while a lab trains (unless --no-dashboard). */
export function serveDashboardWith(serve: LabHooks["serveDashboard"]): void {
  labHooks.serveDashboard = serve;
}
