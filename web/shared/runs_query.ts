/**
 * The runs list's query, one form for the page's URL, the JSON API and the live stream:
 *
 *   ?q=words              every word in the run id, lab, title, notes or sweep id (any case)
 *   &lab=vae-mnist        one or more labs (repeat, or comma-separated)
 *   &status=running       one or more of STATUSES
 *   &config=lr=0.001      config terms: key=value, or key=min..max for a numeric range (either end may be
 *                         empty); several per parameter, space-separated; keys as in run.json or as flags
 *   &metric=eval/nelbo=100..110   the latest value of a scalar, or a number of summary.json, in a range
 *   &sort=metric.eval/nelbo&order=asc   created, updated, id, lab, status, step, headline, config.KEY, metric.KEY
 *   &page=2&size=50
 *
 * Parsing is strict: a bad value throws a QueryError that names it and says what would be valid,
 * which the API answers with 400 and the page shows above the list.
 */
import type { RunStatus } from "../../lib/run/types.ts";

/** A run whose run.json cannot be read as a run is listed too, as "malformed", with the reason. */
export type ListedStatus = RunStatus | "malformed";
export const STATUSES: readonly ListedStatus[] = ["running", "finished", "failed", "interrupted", "malformed"];
export const FIXED_SORTS = ["created", "updated", "id", "lab", "status", "step", "headline"] as const;
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** key=value, or key=min..max (a null end is open). */
export interface Term {
  key: string;
  value?: string;
  min?: number | null;
  max?: number | null;
}

export interface RunsQuery {
  q: string;
  lab: string[];
  status: ListedStatus[];
  config: Term[];
  metric: Term[];
  sort: string;
  order: "asc" | "desc";
  page: number;
  size: number;
}

export const DEFAULT_QUERY: RunsQuery = {
  q: "",
  lab: [],
  status: [],
  config: [],
  metric: [],
  sort: "created",
  order: "desc",
  page: 1,
  size: DEFAULT_PAGE_SIZE,
};

export class QueryError extends Error {}

/** Reads a query from URL parameters; absent ones take DEFAULT_QUERY's values. */
export function parseRunsQuery(params: URLSearchParams): RunsQuery {
  const list = (name: string) => params.getAll(name).flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
  const terms = (name: string) => params.getAll(name).flatMap((v) => v.split(/\s+/)).filter(Boolean);
  const status = list("status");
  for (const s of status) {
    if (!STATUSES.includes(s as ListedStatus)) {
      throw new QueryError(`status '${s}' is not one of ${STATUSES.join(", ")}`);
    }
  }
  const sort = params.get("sort") || DEFAULT_QUERY.sort;
  if (!(FIXED_SORTS as readonly string[]).includes(sort) && !/^(config|metric)\.\S+$/.test(sort)) {
    throw new QueryError(`sort '${sort}' is not one of ${FIXED_SORTS.join(", ")}, config.KEY or metric.KEY`);
  }
  const order = params.get("order") || (sort === "created" || sort === "updated" ? "desc" : "asc");
  if (order !== "asc" && order !== "desc") throw new QueryError(`order '${order}' is not asc or desc`);
  return {
    q: (params.get("q") ?? "").trim(),
    lab: list("lab"),
    status: status as ListedStatus[],
    config: terms("config").map((t) => parseTerm(t, "config")),
    metric: terms("metric").map((t) => parseTerm(t, "metric")),
    sort: sort.startsWith("config.") ? `config.${camelKey(sort.slice(7))}` : sort,
    order,
    page: positiveInt(params.get("page"), "page", DEFAULT_QUERY.page, Number.MAX_SAFE_INTEGER),
    size: positiveInt(params.get("size"), "size", DEFAULT_QUERY.size, MAX_PAGE_SIZE),
  };
}

function positiveInt(text: string | null, name: string, fallback: number, max: number): number {
  if (text === null || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new QueryError(`${name} '${text}' is not a whole number from 1 to ${max}`);
  }
  return value;
}

/** "lr=0.001", "batch-size=64", "eval/nelbo=100..110", "step=..500". */
export function parseTerm(text: string, kind: "config" | "metric"): Term {
  const at = text.lastIndexOf("=");
  const key = text.slice(0, at), value = text.slice(at + 1);
  const example = kind === "config" ? "lr=0.001 or lr=0.0001..0.01" : "eval/nelbo=100..110 or eval/nelbo=..110";
  if (at <= 0 || value === "") throw new QueryError(`${kind} '${text}' is not key=value or key=min..max (${example})`);
  const range = value.match(/^(.*)\.\.(.*)$/);
  if (!range) {
    if (kind === "metric" && !Number.isFinite(Number(value))) {
      throw new QueryError(`metric '${text}': '${value}' is not a number or a range min..max (${example})`);
    }
    return { key: kind === "config" ? camelKey(key) : key, value };
  }
  const end = (side: string) => {
    if (side === "") return null;
    const number = Number(side);
    if (!Number.isFinite(number)) {
      throw new QueryError(`${kind} '${text}': '${side}' is not a number (${example})`);
    }
    return number;
  };
  return { key: kind === "config" ? camelKey(key) : key, min: end(range[1]), max: end(range[2]) };
}

/** "batch-size" (the flag) and "batchSize" (run.json's key) name the same config value. */
export const camelKey = (key: string): string => key.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

export function formatTerm(term: Term): string {
  if (term.value !== undefined) return `${term.key}=${term.value}`;
  return `${term.key}=${term.min ?? ""}..${term.max ?? ""}`;
}

/** The query as URL parameters, leaving out what is at its default, with `patch` applied first. */
export function formatRunsQuery(query: RunsQuery, patch: Partial<RunsQuery> = {}): string {
  const q = { ...query, ...patch };
  const params = new URLSearchParams();
  if (q.q) params.set("q", q.q);
  if (q.lab.length) params.set("lab", q.lab.join(","));
  if (q.status.length) params.set("status", q.status.join(","));
  if (q.config.length) params.set("config", q.config.map(formatTerm).join(" "));
  if (q.metric.length) params.set("metric", q.metric.map(formatTerm).join(" "));
  if (q.sort !== DEFAULT_QUERY.sort) params.set("sort", q.sort);
  const defaultOrder = q.sort === "created" || q.sort === "updated" ? "desc" : "asc";
  if (q.order !== defaultOrder) params.set("order", q.order);
  if (q.page !== 1) params.set("page", String(q.page));
  if (q.size !== DEFAULT_PAGE_SIZE) params.set("size", String(q.size));
  return params.toString();
}
