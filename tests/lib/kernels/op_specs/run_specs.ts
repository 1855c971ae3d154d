/**
 * Runs one tfjs op spec file in a fresh jasmine (npm:jasmine-core, the major version tfjs's own
 * suite ran on) under one kernel set, and returns each spec's outcome by its full name.
 */
import jasmineRequire from "jasmine-core";
import { rewrittenModule } from "./spec_loader.ts";
import { setSpecEnv, type TestEnv } from "./tfjs_jasmine_util.ts";

export interface KernelSet extends TestEnv {
  /** registers the kernels under test (called before each suite, after the engine is reset) */
  install(): void | Promise<void>;
}

export interface SpecOutcome {
  /** a spec's outcome, or the errors of a suite or of the whole run (a throwing afterAll, a load error) */
  of: "spec" | "suite" | "run";
  name: string;
  status: "passed" | "failed" | "excluded" | "pending";
  failures: string[];
}

interface JasmineResult {
  fullName?: string;
  status: SpecOutcome["status"];
  failedExpectations: { message: string }[];
}

let runs = 0;

export async function runSpecs(
  spec: string,
  kernels: KernelSet,
  { index }: { index?: string } = {},
): Promise<SpecOutcome[]> {
  const jasmine = jasmineRequire.core(jasmineRequire);
  const env = jasmine.getEnv();
  const globals = jasmineRequire.interface(jasmine, env);
  Object.assign(globalThis, globals);
  env.configure({ random: false });
  const outcomes: SpecOutcome[] = [];
  // Specs report as they end; a suite's or the whole run's own errors report as failures under
  // the suite's name, so that none goes unseen.
  const record = (of: SpecOutcome["of"]) => (r: JasmineResult) => {
    const failures = r.failedExpectations.map((e) => e.message);
    if (of === "spec") outcomes.push({ of, name: r.fullName!, status: r.status, failures });
    else if (failures.length > 0) {
      outcomes.push({ of, name: `${r.fullName ?? "(the run)"} (${of})`, status: "failed", failures });
    }
  };
  env.addReporter({ specDone: record("spec"), suiteDone: record("suite"), jasmineDone: record("run") });
  await import(await rewrittenModule("public/chained_ops/register_all_chained_ops.js"));
  setSpecEnv(kernels);
  try {
    const url = await rewrittenModule(spec, { index });
    await import(`${url}?run=${runs++}`); // a fresh module: it registers its suites with this jasmine
    await env.execute();
  } finally {
    setSpecEnv(undefined);
    for (const name of Object.keys(globals)) delete (globalThis as Record<string, unknown>)[name];
  }
  return outcomes;
}
