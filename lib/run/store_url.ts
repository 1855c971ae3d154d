/**
 * PostgreSQL connection URLs as users give them (`--store postgres://user:pass@host:port/db`):
 * parsed for messages, and shown only without their password. A password given in the URL is
 * used to connect and nowhere else; it never reaches a message, a log, run.json or an event.
 * The password can also come from PGPASSWORD or ~/.pgpass (node-postgres reads both), so that a
 * printed URL, without it, still works where it is set.
 */
import { UsageError } from "../errors.ts";

export interface StoreUrl {
  /** the URL as given (with its password): for connecting only */
  secret: string;
  /** postgres://user@host:port/db: what messages, run.json and `--resume` show */
  shown: string;
  host: string;
  port: number;
  database: string;
  user: string;
  /** the part after '#': a run id, in `--resume postgres://...#<run-id>` */
  runId: string;
  /** the flag it was given with, for messages */
  flag: string;
}

export const isStoreUrl = (text: string) => /^postgres(ql)?:\/\//i.test(text);

/** Every URL in `text` without its password: postgres://user:secret@host -> postgres://user@host. */
export function redactPasswords(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:@/\s]*):[^\s/]*@/gi, "$1@");
}

export function parseStoreUrl(text: string, flag: string): StoreUrl {
  const invalid = (why: string) =>
    new UsageError(
      `${flag} ${redactPasswords(text)}: ${why}; expected postgres://user[:password]@host[:port]/database.`,
    );
  if (!isStoreUrl(text)) throw invalid("not a postgres:// URL");
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid("not a valid URL");
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (!url.hostname) throw invalid("no host");
  if (!database) throw invalid("no database");
  const user = decodeURIComponent(url.username) || Deno.env.get("PGUSER") || Deno.env.get("USER") || "postgres";
  const port = url.port ? Number(url.port) : 5432;
  const runId = decodeURIComponent(url.hash.replace(/^#/, ""));
  url.password = "";
  url.hash = "";
  const secret = text.replace(/#.*$/, "");
  return { secret, shown: url.href, host: url.hostname, port, database, user, runId, flag };
}

/**
 * A failed connection as a UsageError that names the server and database (never the password)
 * and what to do: the server unreachable, the login refused, the database missing.
 */
export function connectionError(url: StoreUrl, error: unknown): UsageError {
  const { code, message } = error as { code?: string; message?: string };
  const where = `the PostgreSQL server at ${url.host}:${url.port}, database "${url.database}"`;
  const reasons: Record<string, string> = {
    ECONNREFUSED: `cannot reach ${where}: connection refused (is the server running, on that port?)`,
    ENOTFOUND: `cannot reach ${where}: unknown host ${url.host}`,
    EAI_AGAIN: `cannot reach ${where}: host ${url.host} could not be resolved`,
    EHOSTUNREACH: `cannot reach ${where}: host unreachable`,
    ETIMEDOUT: `cannot reach ${where}: no answer in time`,
    "28P01": `${where} refused user "${url.user}": wrong password (give it in the URL, PGPASSWORD or ~/.pgpass)`,
    "28000": `${where} refused user "${url.user}": ${message}`,
    "3D000": `${where}: the database "${url.database}" does not exist (create it: createdb ${url.database})`,
  };
  if (/password must be a string/.test(message ?? "")) {
    reasons[code ?? ""] = `${where} asks user "${url.user}" for a password and none was given ` +
      "(give it in the URL, PGPASSWORD or ~/.pgpass)";
  }
  const timedOut = /timeout/i.test(message ?? "");
  const reason = reasons[code ?? ""] ??
    (timedOut ? `cannot reach ${where}: no answer within the connection timeout` : `${where}: ${message}`);
  return new UsageError(`${url.flag} ${url.shown}: ${redactPasswords(reason)}`);
}
