/** EventTail: reads only appended complete lines, leaves a torn line for later, starts over on a replaced file. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { EventTail } from "../../../lib/run/event_tail.ts";
import { withTempDir } from "../../helpers.ts";

const line = (seq: number) =>
  JSON.stringify({ seq, time: seq, step: seq, kind: "scalar", key: "k", value: seq }) + "\n";

Deno.test("event_tail - each read returns only the lines appended since the last", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "events.jsonl");
    const tail = new EventTail(dir);
    assert.deepEqual(await tail.read(), { events: [], rewritten: false, more: false });
    await Deno.writeTextFile(path, line(1) + line(2));
    assert.deepEqual((await tail.read()).events.map((e) => e.seq), [1, 2]);
    assert.deepEqual((await tail.read()).events, []);
    await Deno.writeTextFile(path, line(3), { append: true });
    assert.deepEqual((await tail.read()).events.map((e) => e.seq), [3]);
    assert.equal(tail.offset, (line(1) + line(2) + line(3)).length);
  });
});

Deno.test("event_tail - a torn last line waits until it is complete", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "events.jsonl");
    const tail = new EventTail(dir);
    const whole = line(2);
    await Deno.writeTextFile(path, line(1) + whole.slice(0, 10));
    assert.deepEqual((await tail.read()).events.map((e) => e.seq), [1]);
    await Deno.writeTextFile(path, whole.slice(10), { append: true });
    assert.deepEqual((await tail.read()).events.map((e) => e.seq), [2]);
  });
});

Deno.test("event_tail - a replaced or truncated file is read again from the start, and says so", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "events.jsonl");
    const tail = new EventTail(dir);
    await Deno.writeTextFile(path, line(1) + line(2) + line(3));
    await tail.read();
    await Deno.writeTextFile(path + ".tmp", line(1) + line(2));
    await Deno.rename(path + ".tmp", path);
    assert.deepEqual(await tail.read().then((r) => [r.rewritten, r.events.map((e) => e.seq)]), [true, [1, 2]]);
    await Deno.writeTextFile(path, line(1));
    assert.deepEqual(await tail.read().then((r) => [r.rewritten, r.events.map((e) => e.seq)]), [true, [1]]);
  });
});

Deno.test("event_tail - large backlogs come in bounded reads", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "events.jsonl"), Array.from({ length: 100 }, (_, i) => line(i + 1)).join(""));
    const tail = new EventTail(dir, { maxBytes: 1000 });
    const seen: number[] = [];
    let reads = 0;
    for (let more = true; more; reads++) {
      const read = await tail.read();
      seen.push(...read.events.map((e) => e.seq));
      more = read.more;
    }
    assert.deepEqual(seen, Array.from({ length: 100 }, (_, i) => i + 1));
    assert.ok(reads > 5, `${reads} reads`);
  });
});
