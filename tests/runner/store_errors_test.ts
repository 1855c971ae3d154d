/**
 * `deno task lab <lab> --store URL` when the server cannot be used, through the real command
 * line against a real server: an unreachable or silent server, a wrong password, a missing
 * database. Each is a clear error within seconds that names the host and database and not the
 * password, exit status 2, and nothing written (no run folder, no tables).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, withTempDir } from "../helpers.ts";
import { POSTGRES_BIN, sharedPostgres, SKIP_POSTGRES } from "../postgres_server.ts";

const postgres = sharedPostgres();
const LAKE = ["lab", "qlearning-frozenlake", "--no-dashboard", "--total-timesteps", "1000"];

/** Runs the lab with `--store url` in an empty folder; checks exit 2, timing, the message, and that nothing was written. */
async function refused(url: string, password: string, expected: RegExp): Promise<void> {
  await withTempDir(async (dir) => {
    const runsDir = join(dir, "runs");
    const started = performance.now();
    const { code, stdout, stderr } = await runCli([...LAKE, "--runs-dir", runsDir, "--store", url]);
    const seconds = (performance.now() - started) / 1000;
    assert.equal(code, 2, stderr);
    assert.match(stderr, expected);
    assert.ok(!(stdout + stderr).includes(password), `the password is printed:\n${stderr}`);
    assert.ok(seconds < 15, `took ${seconds.toFixed(1)} s`);
    assert.deepEqual([...Deno.readDirSync(dir)], [], "something was written");
  });
}

Deno.test({
  name: "store errors - a wrong password, a missing database: exit 2 naming host and database, nothing written",
  ignore: SKIP_POSTGRES,
  fn: async () => {
    const server = await postgres();
    const url = await server.createDatabase("runs");
    const where = `127\\.0\\.0\\.1:${server.port}, database "runs"`;
    await refused(
      url.replace(server.password, "not-it"),
      "not-it",
      new RegExp(`${where} refused user .*wrong password`),
    );
    await refused(
      server.url("nope"),
      server.password,
      new RegExp(`127\\.0\\.0\\.1:${server.port}, database "nope": the database "nope" does not exist`),
    );
    const noPassword = url.replace(`:${server.password}@`, "@");
    await refused(noPassword, server.password, /asks user "tflab_test" for a password and none was given/);
    const { rows } = await psqlTables(server.url("runs"));
    assert.deepEqual(rows, [], "tables were created by a refused run");
  },
});

Deno.test({
  name: "store errors - a port nobody listens on, and a server that never answers: exit 2 within seconds",
  ignore: SKIP_POSTGRES,
  fn: async () => {
    const nobody = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const closedPort = (nobody.addr as Deno.NetAddr).port;
    nobody.close();
    await refused(
      `postgres://ann:s3cret@127.0.0.1:${closedPort}/runs`,
      "s3cret",
      new RegExp(
        `cannot reach the PostgreSQL server at 127\\.0\\.0\\.1:${closedPort}, database "runs": connection refused`,
      ),
    );
    // Accepted by the kernel, never answered: the connection timeout (5 s) ends the wait.
    const silent = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    try {
      const port = (silent.addr as Deno.NetAddr).port;
      await refused(
        `postgres://ann:s3cret@127.0.0.1:${port}/runs`,
        "s3cret",
        new RegExp(`cannot reach the PostgreSQL server at 127\\.0\\.0\\.1:${port}, database "runs": no answer`),
      );
    } finally {
      silent.close();
    }
  },
});

/** The tables in the database, through psql: what a refused run must not have created. */
async function psqlTables(url: string): Promise<{ rows: string[] }> {
  const output = await new Deno.Command(join(POSTGRES_BIN!, "psql"), {
    args: [
      url,
      "-XAtc",
      "select table_schema || '.' || table_name from information_schema.tables where table_schema = 'tflab'",
    ],
    stdout: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stdout).trim();
  return { rows: text ? text.split("\n") : [] };
}
