/**
 * What tfjs's op specs import as `../jasmine_util`. tfjs's own registers each suite once per test
 * environment; here a run has one, the kernel set under test (run_specs.ts), so suites keep the
 * names the specs give them and results compare across kernel sets by name. Around each suite and
 * spec the engine is reset and scoped as tfjs's own does, so a spec sees a fresh backend and
 * leaks nothing into the next.
 */
import { tf } from "../../../../lib/tf.ts";

export interface TestEnv {
  name: string;
  backendName: string;
  isDataSync?: boolean;
  flags?: Record<string, unknown>;
}

interface Constraints {
  flags?: Record<string, unknown>;
  predicate?: (testEnv: TestEnv) => boolean;
}

export const ALL_ENVS: Constraints = {};
export const NODE_ENVS: Constraints = { predicate: () => tf.env().platformName === "node" };
export const BROWSER_ENVS: Constraints = { predicate: () => tf.env().platformName === "browser" };
export const SYNC_BACKEND_ENVS: Constraints = { predicate: (testEnv) => testEnv.isDataSync === true };

/** The jasmine functions run_specs.ts puts on globalThis for the duration of a run. */
interface SuiteGlobals {
  describe(name: string, body: () => void): void;
  beforeAll(body: () => unknown): void;
  beforeEach(body: () => unknown): void;
  afterEach(body: () => unknown): void;
  afterAll(body: () => unknown): void;
}

let current: TestEnv & { install(): void | Promise<void> } | undefined;

/** Sets the environment the next spec module loaded registers its suites for. */
export function setSpecEnv(testEnv: typeof current): void {
  current = testEnv;
}

function satisfies(testEnv: TestEnv, { flags, predicate }: Constraints): boolean {
  const flagsHold = Object.entries(flags ?? {}).every(([name, value]) => tf.env().get(name) === value);
  return flagsHold && (predicate?.(testEnv) ?? true);
}

export function describeWithFlags(name: string, constraints: Constraints, tests: (env: TestEnv) => void): void {
  const testEnv = current;
  if (!testEnv) throw new Error("describeWithFlags: no test environment set (setSpecEnv)");
  tf.env().set("IS_TEST", true);
  if (!satisfies(testEnv, constraints)) return;
  const engine = tf.engine();
  const { describe, beforeAll, beforeEach, afterEach, afterAll } = globalThis as unknown as SuiteGlobals;
  describe(name, () => {
    beforeAll(async () => {
      engine.reset();
      tf.env().set("IS_TEST", true);
      await testEnv.install();
      await engine.setBackend(testEnv.backendName);
    });
    beforeEach(() => engine.startScope());
    afterEach(() => {
      engine.endScope();
      engine.disposeVariables();
    });
    afterAll(() => engine.reset());
    tests(testEnv);
  });
}
