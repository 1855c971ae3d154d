import assert from "node:assert/strict";
import { join } from "node:path";
import { UsageError } from "../../lib/errors.ts";
import { assertWritableFolder } from "../../runner/writable_folder.ts";
import { withTempDir } from "../helpers.ts";

Deno.test("writable_folder - a folder still to be made under a writable one passes, and nothing is created", async () => {
  await withTempDir(async (root) => {
    await assertWritableFolder(join(root, "a", "b", "runs"), "--runs-dir");
    assert.deepEqual([...Deno.readDirSync(root)], []);
  });
});

Deno.test("writable_folder - a file in the way, or a folder the system refuses, is named with the reason", async () => {
  await withTempDir(async (root) => {
    await Deno.writeTextFile(join(root, "file"), "");
    await assert.rejects(
      assertWritableFolder(join(root, "file", "runs"), "--runs-dir"),
      (e: Error) => e instanceof UsageError && e.message.includes(`${join(root, "file")} is a file, not a folder`),
    );
  });
  if (Deno.build.os === "linux") { // /proc takes no new folders, even from root
    await assert.rejects(
      assertWritableFolder("/proc/tflab-runs", "--runs-dir"),
      (e: Error) =>
        e instanceof UsageError && /--runs-dir \/proc\/tflab-runs: cannot write there \(\/proc: /.test(e.message),
    );
  }
});
