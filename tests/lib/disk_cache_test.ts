import assert from "node:assert/strict";
import { join } from "node:path";
import { bytesOf, cacheDir, diskCached } from "../../lib/disk_cache.ts";
import { withTempDir } from "../helpers.ts";

/** A computation that counts its calls. */
function counted<T>(value: T) {
  const calls = { count: 0 };
  return { calls, compute: () => Promise.resolve((calls.count++, value)) };
}

Deno.test("disk_cache - the second call with the same inputs reads the entry; other inputs compute again", async () => {
  await withTempDir(async (dir) => {
    const value = { mean: [0.1, 1 / 3], floor: 2.718281828459045 };
    const { calls, compute } = counted(value);
    const inputs = [new Uint8Array([1, 2, 3]), bytesOf(Float32Array.of(0.5, -1))];
    assert.deepEqual(await diskCached("stats", inputs, compute, dir), value);
    assert.deepEqual(await diskCached("stats", inputs, compute, dir), value, "the same numbers, bit for bit");
    assert.equal(calls.count, 1);
    await diskCached("stats", [new Uint8Array([1, 2, 3]), bytesOf(Float32Array.of(0.5, -2))], compute, dir);
    await diskCached("other", inputs, compute, dir);
    assert.equal(calls.count, 3, "a changed input or name is another entry");
    assert.equal((await Array.fromAsync(Deno.readDir(dir))).length, 3);
  });
});

Deno.test("disk_cache - a corrupted entry is computed again and rewritten; no folder or an unwritable one only costs time", async () => {
  await withTempDir(async (dir) => {
    const { calls, compute } = counted({ x: 1 });
    const inputs = [new Uint8Array([7])];
    await diskCached("stats", inputs, compute, dir);
    const [entry] = await Array.fromAsync(Deno.readDir(dir));
    await Deno.writeTextFile(join(dir, entry.name), '{"x": 1'); // cut short
    assert.deepEqual(await diskCached("stats", inputs, compute, dir), { x: 1 });
    assert.deepEqual(JSON.parse(await Deno.readTextFile(join(dir, entry.name))), { x: 1 });
    assert.deepEqual(await diskCached("stats", inputs, compute, null), { x: 1 });
    const file = join(dir, "a-file");
    await Deno.writeTextFile(file, "");
    assert.deepEqual(await diskCached("stats", inputs, compute, join(file, "cache")), { x: 1 });
    assert.equal(calls.count, 4);
  });
});

Deno.test("disk_cache - the folder: TFLAB_CACHE_DIR, else XDG_CACHE_HOME/tflab, else ~/.cache/tflab, else none", () => {
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  assert.equal(cacheDir(env({ TFLAB_CACHE_DIR: "/c", XDG_CACHE_HOME: "/x", HOME: "/h" })), "/c");
  assert.equal(cacheDir(env({ XDG_CACHE_HOME: "/x", HOME: "/h" })), join("/x", "tflab"));
  assert.equal(cacheDir(env({ HOME: "/h" })), join("/h", ".cache", "tflab"));
  assert.equal(cacheDir(env({})), null);
});
