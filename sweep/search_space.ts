/**
 * What a sweep varies, checked against the lab's own spec before anything runs: `--grid
 * lr=1e-3,3e-4` lists values, `--range lr=log:1e-4..1e-2` (with `--random N`) gives a range to
 * draw from. Every value, and each end of a range, goes through the lab's parser, so a bad one is
 * refused with the lab's own message. The grid is the product of the lists; a random search draws
 * N distinct settings from a generator seeded by --sweep-seed, so the same command draws the same.
 */
import { UsageError } from "../lib/errors.ts";
import { flagName, type Param, parseFlags, type Spec } from "../lib/hparams.ts";
import { Rng } from "../lib/rng.ts";
import type { Dimension, Setting, SweptValue } from "../lib/sweep/manifest.ts";

/** Flags a sweep sets itself: a trial's seed, where its run goes, and the run bookkeeping. */
const RESERVED: Record<string, string> = {
  seed: "the sweep's --seeds sets each trial's seed",
  runsDir: "the sweep's --runs-dir sets where every trial's run goes",
  resume: "the sweep resumes its trials itself",
  detach: "the sweep runs its trials as child processes",
  dashboard: "trials run without a dashboard; `deno task dashboard` shows them all",
  sweepTrial: "the sweep names each trial itself",
  store: "the sweep's --store sets where every trial's run goes",
  worker: "each worker names itself (deno task worker --name)",
};

/** Runs the lab's parser; a UsageError gets `where` in front, so its message says which sweep flag held the value. */
export function labSays<T>(where: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`${where}: ${error.message}`);
    throw error;
  }
}

/** The spec key of a flag a sweep may set, or a UsageError in the lab's words. */
export function sweepableKey(spec: Spec, flag: string, where: string): string {
  const key = Object.keys(spec).find((k) => flagName(k) === flag);
  if (key === undefined) {
    labSays(where, () => parseFlags(spec, [`--${flag}`])); // the lab's "Unknown flag", with its nearest names
    throw new UsageError(`${where}: unknown flag --${flag}.`);
  }
  if (RESERVED[key]) throw new UsageError(`${where}: --${flag} cannot be set in a sweep: ${RESERVED[key]}.`);
  return key;
}

/** One value checked by the lab's parser: its typed value and the lab arguments that set it. */
export function checkedValue(
  spec: Spec,
  key: string,
  raw: string,
  where: string,
): { value: SweptValue; args: string[] } {
  const flag = flagName(key);
  if (spec[key].type === "bool") {
    if (raw !== "true" && raw !== "false") {
      throw new UsageError(`${where}: Invalid value '${raw}' for --${flag}: expected true or false.`);
    }
    return { value: raw === "true", args: [raw === "true" ? `--${flag}` : `--no-${flag}`] };
  }
  const { config } = labSays(where, () => parseFlags(spec, [`--${flag}`, raw]));
  return { value: config[key] as SweptValue, args: [`--${flag}`, raw] };
}

/** `--grid lr=1e-3,3e-4`: each value checked. */
export function gridDimension(spec: Spec, text: string): Dimension {
  const where = `--grid ${text}`;
  const [flag, list] = splitAssignment(text, where, "NAME=V1,V2,...");
  const key = sweepableKey(spec, flag, where);
  const values = list.split(",").map((v) => v.trim());
  if (values.some((v) => v === "")) throw new UsageError(`${where}: an empty value; expected NAME=V1,V2,...`);
  if (new Set(values).size !== values.length) throw new UsageError(`${where}: a value is given twice.`);
  for (const value of values) checkedValue(spec, key, value, where);
  return { flag, kind: "grid", values };
}

/** `--range lr=log:1e-4..1e-2`, `--range hidden=int:64..512`, `--range dropout=0.1..0.5`. */
export function rangeDimension(spec: Spec, text: string): Dimension {
  const where = `--range ${text}`;
  const expected = "NAME=LOW..HIGH, NAME=log:LOW..HIGH or NAME=int:LOW..HIGH";
  const [flag, body] = splitAssignment(text, where, expected);
  const key = sweepableKey(spec, flag, where);
  const param: Param = spec[key];
  const prefix = body.match(/^(log|int):/)?.[1];
  const bounds = prefix ? body.slice(prefix.length + 1) : body;
  const ends = bounds.split("..");
  if (ends.length !== 2) throw new UsageError(`${where}: expected ${expected}.`);
  if (param.type !== "int" && param.type !== "float") {
    throw new UsageError(
      `${where}: --${flag} takes ${param.type === "bool" ? "true or false" : "a string"}, ` +
        `not a number; list its values with --grid ${flag}=...`,
    );
  }
  if (prefix === "int" && param.type !== "int") {
    throw new UsageError(`${where}: int: draws integers, but --${flag} takes any number; drop int: or use log:.`);
  }
  const [low, high] = ends.map((end) => checkedValue(spec, key, end.trim(), where).value as number);
  if (!(low < high)) throw new UsageError(`${where}: the low end must be below the high end.`);
  if (prefix === "log" && low <= 0) throw new UsageError(`${where}: a log range needs a low end above 0.`);
  return { flag, kind: "range", low, high, scale: prefix === "log" ? "log" : "linear", integer: param.type === "int" };
}

function splitAssignment(text: string, where: string, expected: string): [string, string] {
  const at = text.indexOf("=");
  if (at <= 0 || at === text.length - 1) throw new UsageError(`${where}: expected ${expected}.`);
  return [text.slice(0, at).replace(/^--/, ""), text.slice(at + 1)];
}

/** Every combination of the grid's values, the first flag varying slowest. */
export function gridSettings(spec: Spec, dimensions: Dimension[]): Setting[] {
  let combos: string[][] = [[]];
  for (const d of dimensions) {
    if (d.kind !== "grid") throw new UsageError(`--range ${d.flag}=...: a range needs --random N (how many draws).`);
    combos = combos.flatMap((combo) => d.values.map((v) => [...combo, v]));
  }
  return combos.map((raws, i) => setting(spec, dimensions, raws, i));
}

/** `count` distinct settings drawn at random: a grid flag uniformly from its values, a range uniformly (or log-uniformly). */
export function randomSettings(spec: Spec, dimensions: Dimension[], count: number, sweepSeed: number): Setting[] {
  const rng = new Rng(sweepSeed);
  const seen = new Set<string>(), draws: string[][] = [];
  for (let tries = 0; draws.length < count && tries < count * 100; tries++) {
    const raws = dimensions.map((d) => (d.kind === "grid" ? d.values[rng.int(d.values.length)] : draw(d, rng)));
    const key = raws.join("\0");
    if (seen.has(key)) continue;
    seen.add(key);
    draws.push(raws);
  }
  if (draws.length < count) {
    throw new UsageError(
      `--random ${count}: only ${draws.length} distinct settings found in ${count * 100} draws; ` +
        "ask for fewer, widen the ranges, or list the grid without --random.",
    );
  }
  return draws.map((raws, i) => setting(spec, dimensions, raws, i));
}

/** One draw from a range, as the text of a flag value: integers exactly, other numbers to 3 significant digits. */
function draw(d: Extract<Dimension, { kind: "range" }>, rng: Rng): string {
  const { low, high } = d;
  if (d.integer && d.scale === "linear") return String(low + rng.int(high - low + 1));
  const u = rng.uniform();
  const x = d.scale === "log" ? Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))) : low + u * (high - low);
  const rounded = d.integer ? Math.round(x) : Number(x.toPrecision(3));
  return String(Math.min(high, Math.max(low, rounded)));
}

function setting(spec: Spec, dimensions: Dimension[], raws: string[], index: number): Setting {
  const values: Record<string, SweptValue> = {}, args: string[] = [];
  dimensions.forEach((d, i) => {
    const checked = checkedValue(spec, sweepableKey(spec, d.flag, d.flag), raws[i], `${d.flag}=${raws[i]}`);
    values[d.flag] = checked.value;
    args.push(...checked.args);
  });
  return { id: `s${String(index + 1).padStart(2, "0")}`, values, args };
}
