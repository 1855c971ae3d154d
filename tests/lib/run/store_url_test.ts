/** Store URLs: parsed for messages, shown without their password wherever they are printed or recorded. */
import assert from "node:assert/strict";
import { UsageError } from "../../../lib/errors.ts";
import { connectionError, parseStoreUrl, redactPasswords } from "../../../lib/run/store_url.ts";

Deno.test("store_url - a password is removed from every URL in a text, and nothing else is", () => {
  assert.equal(
    redactPasswords("a postgres://ann:s3cret@db.lan:5433/runs and postgresql://bob:p%40ss@h/x#run-1 end"),
    "a postgres://ann@db.lan:5433/runs and postgresql://bob@h/x#run-1 end",
  );
  assert.equal(redactPasswords("postgres://ann@db.lan/runs"), "postgres://ann@db.lan/runs");
  assert.equal(redactPasswords("runs/vae-mnist-1 user:pw@host"), "runs/vae-mnist-1 user:pw@host");
});

Deno.test("store_url - parsing gives host, port, database, user and run id; what it shows has no password", () => {
  const url = parseStoreUrl("postgres://ann:s3cret@db.lan:5433/runs#vae-mnist-1", "--resume");
  assert.deepEqual(
    { ...url },
    {
      secret: "postgres://ann:s3cret@db.lan:5433/runs",
      shown: "postgres://ann@db.lan:5433/runs",
      host: "db.lan",
      port: 5433,
      database: "runs",
      user: "ann",
      runId: "vae-mnist-1",
      flag: "--resume",
    },
  );
  assert.equal(parseStoreUrl("postgres://ann@db.lan/runs", "--store").port, 5432);
});

Deno.test("store_url - a URL that is not one names what is wrong, what is valid, and never the password", () => {
  for (
    const [text, why] of [
      ["mysql://ann:s3cret@h/db", /not a postgres:\/\/ URL/],
      ["postgres://ann:s3cret@h", /no database/],
      ["postgres://ann:s3cret@h:99999/db", /not a valid URL/],
    ] as const
  ) {
    assert.throws(() => parseStoreUrl(text, "--store"), (error: Error) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, why);
      assert.match(error.message, /expected postgres:\/\/user\[:password\]@host\[:port\]\/database/);
      assert.ok(!error.message.includes("s3cret"), error.message);
      return true;
    });
  }
});

Deno.test("store_url - connection errors name the server and database, say what to do, and not the password", () => {
  const url = parseStoreUrl("postgres://ann:s3cret@db.lan:5433/runs", "--store");
  const cases: [Record<string, string>, RegExp][] = [
    [{ code: "ECONNREFUSED" }, /cannot reach .*db\.lan:5433, database "runs": connection refused/],
    [{ code: "28P01" }, /refused user "ann": wrong password/],
    [{ code: "3D000" }, /database "runs" does not exist \(create it: createdb runs\)/],
    [{ message: "timeout expired" }, /cannot reach .* no answer within the connection timeout/],
    [{ message: "bad thing at postgres://ann:s3cret@db.lan" }, /bad thing at postgres:\/\/ann@db\.lan/],
  ];
  for (const [error, expected] of cases) {
    const message = connectionError(url, error).message;
    assert.match(message, /^--store postgres:\/\/ann@db\.lan:5433\/runs: /);
    assert.match(message, expected);
    assert.ok(!message.includes("s3cret"), message);
  }
});
