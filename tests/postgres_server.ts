/**
 * A real PostgreSQL server for the tests, never a mock: `initdb` in a temporary folder, started
 * with `pg_ctl` on a free loopback port, one password-authenticated role (scram-sha-256 on TCP,
 * nothing trusted), stopped and removed after. One server per test file (`sharedPostgres`).
 *
 * PostgreSQL refuses to run as root, so as root every server command runs as the `postgres` user
 * (`runuser`) in a folder it owns. A watchdog shell holds the server's lifetime: it stops the
 * server and removes the folder when its stdin closes, which `stop()` does and which also happens
 * when the test process ends or dies, so no test leaves a server behind.
 *
 * Tests skip, saying why, only where the binaries are absent; under CI (CI=true, set by .ci/run,
 * which installs Debian's `postgresql`) a missing server is a failure instead.
 */
import { join } from "node:path";

const LOOKED_IN = "`pg_config --bindir`, /usr/lib/postgresql/*/bin and PATH";

/** The folder of initdb, pg_ctl and postgres: Debian keeps them off PATH, under /usr/lib/postgresql/<version>/bin. */
export const POSTGRES_BIN: string | null = findBinDir();

export const postgresMissing = `PostgreSQL's server binaries (initdb, pg_ctl) are not in ${LOOKED_IN} ` +
  "(apt-get install postgresql)";

/** `ignore` for Deno.test: true only where the binaries are absent outside CI. */
export const SKIP_POSTGRES = POSTGRES_BIN === null && Deno.env.get("CI") !== "true";
if (SKIP_POSTGRES) console.warn(`skipping the PostgreSQL tests: ${postgresMissing}`);

export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** the temporary folder: data, socket and server.log */
  dir: string;
  /** postgres://user:password@127.0.0.1:port/<database> */
  url(database?: string): string;
  /** Creates a database (by name, or a fresh one) and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server (fast shutdown: open connections are cut) and starts it again on the same data and port. */
  restart(): Promise<void>;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

function findBinDir(): string | null {
  const hasServer = (dir: string) => {
    try {
      return Deno.statSync(join(dir, "initdb")).isFile && Deno.statSync(join(dir, "pg_ctl")).isFile;
    } catch {
      return false;
    }
  };
  const candidates: string[] = [];
  try {
    const output = new Deno.Command("pg_config", { args: ["--bindir"], stderr: "null" }).outputSync();
    if (output.success) candidates.push(new TextDecoder().decode(output.stdout).trim());
  } catch { /* no pg_config */ }
  try {
    const versions = [...Deno.readDirSync("/usr/lib/postgresql")].map((entry) => entry.name);
    versions.sort((a, b) => Number(b) - Number(a)); // the newest first
    candidates.push(...versions.map((version) => `/usr/lib/postgresql/${version}/bin`));
  } catch { /* not Debian's layout */ }
  candidates.push(...(Deno.env.get("PATH") ?? "").split(":").filter(Boolean));
  return candidates.find(hasServer) ?? null;
}

/** Runs `command` as the `postgres` user when we are root (PostgreSQL refuses root), else as ourselves. */
function asServerUser(command: string[], options: Omit<Deno.CommandOptions, "args"> = {}): Deno.Command {
  const [program, ...args] = Deno.uid() === 0 ? ["runuser", "-u", "postgres", "--", ...command] : command;
  return new Deno.Command(program, { ...options, args });
}

async function mustRun(what: string, command: Deno.Command, logFile?: string): Promise<void> {
  const output = await command.output();
  if (output.success) return;
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes).trim();
  const log = logFile ? await Deno.readTextFile(logFile).catch(() => "") : "";
  throw new Error(
    `${what} failed (exit ${output.code}): ${decode(output.stderr) || decode(output.stdout)}` +
      (log ? `\nserver log:\n${log.slice(-2000)}` : ""),
  );
}

function freeLoopbackPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

function postgresUserIds(): { uid: number; gid: number } {
  const line = Deno.readTextFileSync("/etc/passwd").split("\n").find((l) => l.startsWith("postgres:"));
  if (!line) throw new Error("running as root, but there is no `postgres` user to run PostgreSQL as");
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

/** Durability off: a test server trades crash safety for speed (a clean restart keeps everything). */
const SERVER_OPTIONS = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off";

export async function startPostgres(): Promise<PostgresServer> {
  const bin = POSTGRES_BIN;
  if (!bin) throw new Error(`cannot start a test server: ${postgresMissing}`);
  const root = await Deno.makeTempDir({ prefix: "tflab-pg-" });
  if (Deno.uid() === 0) {
    const { uid, gid } = postgresUserIds();
    await Deno.chown(root, uid, gid);
  }
  const data = join(root, "data"), log = join(root, "server.log"), passwordFile = join(root, "password");
  const user = "tflab_test", password = `pw-${crypto.randomUUID()}`, host = "127.0.0.1", port = freeLoopbackPort();
  await asServerUser(["sh", "-c", 'umask 077 && printf %s "$1" > "$2"', "-", password, passwordFile]).output();
  await mustRun(
    "initdb",
    asServerUser([
      join(bin, "initdb"),
      ...["-D", data, "-U", user, `--pwfile=${passwordFile}`, "--auth=scram-sha-256"],
      ...["--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions"],
    ], { stdout: "piped", stderr: "piped" }),
  );
  const options = `-h ${host} -p ${port} -k ${root} ${SERVER_OPTIONS}`;
  const pgCtl = (...args: string[]) =>
    asServerUser([join(bin, "pg_ctl"), "-D", data, "-l", log, "-w", "-t", "30", ...args], {
      stdout: "piped",
      stderr: "piped",
    });
  // The watchdog: starts the server, says "ready", then waits for its stdin to close. The waiting
  // part runs in a session of its own (setsid), so that a signal to the test's process group (or
  // runuser's kill of its child when deno test ends) cannot stop it before it cleans up; it reads
  // the pipe through fd 3, since a background job's stdin is /dev/null.
  const watchdog = asServerUser([
    "sh",
    "-c",
    `exec 3<&0
     "$1" -D "$2" -l "$3" -w -t 30 -o "$4" start >/dev/null 2>&1 && echo ready || echo failed
     setsid sh -c 'cat >/dev/null; "$0" -D "$1" -m fast -w stop; rm -rf "$2"' "$1" "$2" "$5" <&3 >/dev/null 2>&1 &
     exec 3<&-
     wait $!`,
    "-",
    join(bin, "pg_ctl"),
    data,
    log,
    options,
    root,
  ], { stdin: "piped", stdout: "piped", stderr: "null" }).spawn();
  const firstLine = await readFirstLine(watchdog.stdout);
  watchdog.unref(); // the watchdog must not keep a finished test process alive: its exit is what stops the server
  const server: PostgresServer = {
    host,
    port,
    user,
    password,
    dir: root,
    url: (database = "postgres") => `postgres://${user}:${password}@${host}:${port}/${database}`,
    async createDatabase(name = `db_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`) {
      await mustRun(
        `createdb ${name}`,
        new Deno.Command(join(bin, "createdb"), {
          args: ["-h", host, "-p", String(port), "-U", user, name],
          env: { PGPASSWORD: password },
          stdout: "piped",
          stderr: "piped",
        }),
      );
      return server.url(name);
    },
    restart: () => mustRun("pg_ctl restart", pgCtl("-m", "fast", "restart"), log),
    async stop() {
      watchdog.ref();
      await watchdog.stdin.close().catch(() => {});
      await watchdog.status;
    },
  };
  if (firstLine !== "ready") {
    const serverLog = await Deno.readTextFile(log).catch(() => "(no log)");
    await server.stop();
    throw new Error(`the test PostgreSQL server did not start on ${host}:${port}:\n${serverLog.slice(-2000)}`);
  }
  return server;
}

async function readFirstLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  let text = "";
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  reader.releaseLock();
  return text.split("\n")[0].trim();
}

/**
 * One server for a test file, started by the first test that asks and stopped when the process
 * exits (the watchdog sees its stdin close). Tests isolate themselves with `createDatabase()`.
 */
export function sharedPostgres(): () => Promise<PostgresServer> {
  let started: Promise<PostgresServer> | null = null;
  return () => started ??= startPostgres();
}
