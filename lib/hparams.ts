/**
 * Hyperparameters, declared once per lab as a spec (default, meaning, bounds or choices). From
 * the spec come the command-line flags, `--help`, the typed config, and the config recorded in
 * run.json. Flags are the kebab-case form of the keys: `maxSteps` is `--max-steps`; a boolean
 * `dashboard` is set with `--dashboard` and cleared with `--no-dashboard`.
 */
import { didYouMean, UsageError } from "./errors.ts";

interface Described {
  help: string;
}
export interface IntParam extends Described {
  type: "int";
  default: number;
  min?: number;
  max?: number;
}
export interface FloatParam extends Described {
  type: "float";
  default: number;
  min?: number;
  max?: number;
}
export interface StringParam extends Described {
  type: "string";
  default: string;
  choices?: readonly string[];
}
export interface BoolParam extends Described {
  type: "bool";
  default: boolean;
}
export type Param = IntParam | FloatParam | StringParam | BoolParam;
export type Spec = Record<string, Param>;

type ValueOf<P extends Param> = P extends BoolParam ? boolean
  : P extends StringParam ? (P["choices"] extends readonly (infer C)[] ? C : string)
  : number;
export type Config<S extends Spec> = { -readonly [K in keyof S]: ValueOf<S[K]> };

export const flagName = (key: string): string => key.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());

/** The spec's defaults as a config. */
export function defaults<S extends Spec>(spec: S): Config<S> {
  return Object.fromEntries(Object.entries(spec).map(([k, p]) => [k, p.default])) as Config<S>;
}

/** Parses `--flag value`, `--flag=value`, `--bool` and `--no-bool`; throws UsageError. */
export function parseFlags<S extends Spec>(
  spec: S,
  argv: readonly string[],
): { config: Config<S>; given: Set<keyof S & string> } {
  const byFlag = new Map(Object.keys(spec).map((key) => [flagName(key), key]));
  const config = defaults(spec) as Record<string, unknown>;
  const given = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) {
      throw new UsageError(`Unexpected argument '${arg}': flags look like --name value.`);
    }
    const [name, inline] = splitOnce(arg.slice(2), "=");
    const negated = name.startsWith("no-") && spec[byFlag.get(name.slice(3)) ?? ""]?.type === "bool";
    const key = byFlag.get(negated ? name.slice(3) : name);
    if (key === undefined) {
      throw new UsageError(
        `Unknown flag --${name}.${didYouMean(name, [...byFlag.keys()], "--")} ` +
          `Run with --help to list every flag.`,
      );
    }
    const param = spec[key];
    if (given.has(key)) throw new UsageError(`Flag --${name} is given twice.`);
    given.add(key);
    if (param.type === "bool") {
      if (inline !== undefined) {
        throw new UsageError(`Flag --${name} takes no value (use --${name} or --no-${name}).`);
      }
      config[key] = !negated;
      continue;
    }
    const raw = inline ?? argv[++i];
    if (raw === undefined) {
      throw new UsageError(`Flag --${name} needs a value: ${describe(param)}.`);
    }
    config[key] = parseValue(name, param, raw);
  }
  return { config: config as Config<S>, given: given as Set<keyof S & string> };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** Checks one raw value against its param; the error names the flag, the value and what is valid. */
export function parseValue(name: string, param: Param, raw: string): unknown {
  const bad = (why: string) =>
    new UsageError(`Invalid value '${raw}' for --${name}: ${why}; expected ${describe(param)}.`);
  switch (param.type) {
    case "int":
    case "float": {
      const pattern = param.type === "int" ? /^[+-]?\d+$/ : /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
      const value = Number(raw);
      if (!pattern.test(raw.trim()) || !Number.isFinite(value)) throw bad(`not ${article(param.type)}`);
      if (param.type === "int" && !Number.isSafeInteger(value)) throw bad("too large");
      if (param.min !== undefined && value < param.min) throw bad("below the minimum");
      if (param.max !== undefined && value > param.max) throw bad("above the maximum");
      return value;
    }
    case "string":
      if (param.choices && !param.choices.includes(raw)) {
        throw bad(`not one of the choices${didYouMean(raw, param.choices, "", "(did you mean ", "?)")}`);
      }
      return raw;
    case "bool":
      return raw === "true";
  }
}

const article = (type: string) => (type === "int" ? "an integer" : "a number");

/** "an integer from 1 to 1000", "one of auto, wasm", ... */
export function describe(param: Param): string {
  switch (param.type) {
    case "int":
    case "float": {
      const { min, max } = param;
      const range = min !== undefined && max !== undefined
        ? ` from ${min} to ${max}`
        : min !== undefined
        ? ` >= ${min}`
        : max !== undefined
        ? ` <= ${max}`
        : "";
      return article(param.type) + range;
    }
    case "string":
      return param.choices ? `one of ${param.choices.join(", ")}` : "a string";
    case "bool":
      return "on or off";
  }
}

/** What a value must be, where the type alone does not say: bounds or choices ("" for flags and free strings). */
export function constraint(param: Param): string {
  return param.type === "bool" || (param.type === "string" && !param.choices) ? "" : describe(param);
}

/** One line per flag: name, default and meaning (with bounds or choices), in spec order. */
export function formatFlags(spec: Spec): string {
  const rows = Object.entries(spec).map(([key, param]) => {
    const placeholder = { int: " N", float: " X", string: " S", bool: "" }[param.type];
    const flag = `--${param.type === "bool" ? "[no-]" : ""}${flagName(key)}${placeholder}`;
    const shown = param.type === "bool" ? (param.default ? "on" : "off") : JSON.stringify(param.default);
    const bounds = constraint(param);
    return [flag, shown, param.help + (bounds && ` (${bounds})`)];
  });
  const flagWidth = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  const defaultWidth = Math.max(...rows.map(([, shown]) => shown.length)) + 2;
  return rows.map(([flag, shown, text]) => `  ${flag.padEnd(flagWidth)}${shown.padEnd(defaultWidth)}${text}`)
    .join("\n");
}
