/**
 * A lab's reference curves, read from references/<lab-id>.json in the project (data, not code:
 * the dashboard never imports a lab) and checked field by field, so that a malformed file is an
 * error naming the file, the field and what would be valid, not a chart that silently lies.
 */
import { join } from "node:path";
import {
  type FlagValue,
  type LabReferences,
  REFERENCE_UNITS,
  type ReferenceCurve,
  type ReferencePoint,
} from "../shared/reference_curves.ts";

/** The folder of the project that holds the reference files. */
export const REFERENCES_DIR = "references";

export const referenceFile = (labId: string) => `${REFERENCES_DIR}/${labId}.json`;

/** The lab's references, or null when it has none (no file; or an id that is not a lab id). */
export async function loadReferences(labId: string, root: string): Promise<LabReferences | null> {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(labId)) return null;
  const file = referenceFile(labId);
  let text: string;
  try {
    text = await Deno.readTextFile(join(root, file));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  return parseReferences(text, file, labId);
}

/**
 * For the pages: the lab's curves ([] when it has none), and the message of a malformed file,
 * which a page shows instead of failing.
 */
export async function loadReferencesOrError(
  labId: string,
  root: string,
): Promise<{ curves: ReferenceCurve[]; error?: string }> {
  try {
    return { curves: (await loadReferences(labId, root))?.curves ?? [] };
  } catch (error) {
    return { curves: [], error: (error as Error).message };
  }
}

/** Parses and checks one reference file; `file` names it in every error. */
export function parseReferences(text: string, file: string, labId: string): LabReferences {
  const fail = (where: string, problem: string): never => {
    throw new Error(`${file}: ${where}: ${problem}`);
  };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return fail("not JSON", (error as Error).message);
  }
  const top = record(data, "the file", fail, ["lab", "curves"]);
  if (top.lab !== labId) fail("lab", `expected "${labId}" (the file's name), got ${JSON.stringify(top.lab)}`);
  if (!Array.isArray(top.curves) || top.curves.length === 0) fail("curves", "expected a non-empty array");
  const curves = (top.curves as unknown[]).map((c, i) => parseCurve(c, `curves[${i}]`, fail));
  const ids = curves.map((c) => c.id);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated) fail("curves", `the id "${repeated}" is used twice; ids name curves in README links`);
  return { lab: labId, curves };
}

type Fail = (where: string, problem: string) => never;

const CURVE_KEYS = "id label kind metric better x source command url band config points".split(" ");

function parseCurve(value: unknown, where: string, fail: Fail): ReferenceCurve {
  const c = record(value, where, fail, CURVE_KEYS);
  const text = (key: string, optional = false): string | undefined => {
    if (optional && c[key] === undefined) return undefined;
    if (typeof c[key] !== "string" || !(c[key] as string).trim()) {
      fail(`${where}.${key}`, "expected a non-empty string");
    }
    return c[key] as string;
  };
  const oneOf = <T extends string>(key: string, choices: readonly T[]): T => {
    if (!choices.includes(c[key] as T)) {
      fail(`${where}.${key}`, `expected one of ${choices.join(", ")}, got ${JSON.stringify(c[key])}`);
    }
    return c[key] as T;
  };
  const curve: ReferenceCurve = {
    id: text("id")!,
    label: text("label")!,
    kind: oneOf("kind", ["outside", "own"] as const),
    metric: text("metric")!,
    better: oneOf("better", ["higher", "lower"] as const),
    x: oneOf("x", REFERENCE_UNITS),
    source: text("source")!,
    command: text("command", true),
    url: text("url", true),
    band: text("band", true),
    config: c.config === undefined ? undefined : parseConfig(c.config, `${where}.config`, fail),
    points: [],
  };
  if (!/^[a-z0-9-]+$/.test(curve.id)) {
    fail(`${where}.id`, `expected lower-case letters, digits and -, got "${curve.id}"`);
  }
  if (!curve.command && !curve.url) fail(where, "expected a command that reproduces it or the url it was published at");
  if (!Array.isArray(c.points) || c.points.length === 0) fail(`${where}.points`, "expected a non-empty array");
  curve.points = (c.points as unknown[]).map((p, i) => parsePoint(p, `${where}.points[${i}]`, fail));
  curve.points.forEach((p, i) => {
    const previous = curve.points[i - 1];
    if (previous && p.x <= previous.x) fail(`${where}.points[${i}].x`, `${p.x} does not follow ${previous.x}`);
  });
  const banded = curve.points.filter((p) => p.low !== undefined).length;
  if (banded !== 0 && banded !== curve.points.length) {
    fail(`${where}.points`, "give low and high on every point or none");
  }
  if (banded && !curve.band) fail(`${where}.band`, "expected a sentence saying what low and high are");
  return curve;
}

function parseConfig(value: unknown, where: string, fail: Fail): Record<string, FlagValue> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail(where, "expected an object of flag values");
  }
  for (const [flag, v] of Object.entries(value as object)) {
    if (!["string", "number", "boolean"].includes(typeof v)) {
      fail(`${where}.${flag}`, `expected a string, number or boolean, got ${JSON.stringify(v)}`);
    }
  }
  return value as Record<string, FlagValue>;
}

function parsePoint(value: unknown, where: string, fail: Fail): ReferencePoint {
  const p = record(value, where, fail, ["x", "mean", "low", "high"]);
  const number = (key: string) => {
    if (typeof p[key] !== "number" || !Number.isFinite(p[key])) {
      fail(`${where}.${key}`, `expected a finite number, got ${JSON.stringify(p[key])}`);
    }
    return p[key] as number;
  };
  const point: ReferencePoint = { x: number("x"), mean: number("mean") };
  if (p.low === undefined && p.high === undefined) return point;
  point.low = number("low");
  point.high = number("high");
  if (!(point.low <= point.mean && point.mean <= point.high)) {
    fail(where, `expected low <= mean <= high, got ${point.low}, ${point.mean}, ${point.high}`);
  }
  return point;
}

/** An object with only the given keys (a misspelt optional key would otherwise vanish unseen). */
function record(value: unknown, where: string, fail: Fail, keys: readonly string[]): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail(where, "expected an object");
  const unknown = Object.keys(value as object).find((key) => !keys.includes(key));
  if (unknown) fail(where, `unknown key "${unknown}"; expected ${keys.join(", ")}`);
  return value as Record<string, unknown>;
}
