/** The test server helper: password authentication is enforced, a restart keeps the data, stop removes everything. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { POSTGRES_BIN, SKIP_POSTGRES, startPostgres } from "./postgres_server.ts";

/** Runs one statement with psql (the server's own client, so this test needs no npm client). */
async function psql(url: string, sql: string): Promise<{ ok: boolean; out: string }> {
  const output = await new Deno.Command(join(POSTGRES_BIN!, "psql"), {
    args: [url, "-XAtc", sql],
    env: { PGCONNECT_TIMEOUT: "5" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes).trim();
  return { ok: output.success, out: decode(output.stdout) || decode(output.stderr) };
}

Deno.test({
  name: "postgres_server - a password-checked role, data kept across a restart, nothing left after stop",
  ignore: SKIP_POSTGRES,
  fn: async () => {
    const server = await startPostgres();
    try {
      const url = await server.createDatabase("kept");
      assert.deepEqual(await psql(url, "create table t (x int); insert into t values (42)"), {
        ok: true,
        out: "CREATE TABLE\nINSERT 0 1",
      });
      const wrong = await psql(url.replace(server.password, "wrong"), "select 1");
      assert.equal(wrong.ok, false);
      assert.match(wrong.out, /password authentication failed for user "tflab_test"/);
      await server.restart();
      assert.deepEqual(await psql(url, "select x from t"), { ok: true, out: "42" });
    } finally {
      await server.stop();
    }
    const gone = await psql(server.url(), "select 1");
    assert.equal(gone.ok, false, "the server still answers after stop()");
    assert.throws(() => Deno.statSync(server.dir), Deno.errors.NotFound);
  },
});
