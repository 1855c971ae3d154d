import assert from "node:assert/strict";
import {
  type CheckpointState,
  decodeCheckpoint,
  encodeCheckpoint,
  listCheckpoints,
  loadLatestCheckpoint,
  saveCheckpoint,
} from "../../lib/checkpoint.ts";
import { UsageError } from "../../lib/errors.ts";
import { withTempDir } from "../helpers.ts";

function state(step: number): CheckpointState {
  return {
    step,
    epoch: 2,
    eventSeq: 99,
    meta: { noise: [1, 2, 3, 4] },
    tensors: {
      model: [
        { name: "fc1/kernel", shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) },
        { name: "fc1/bias", shape: [3], data: Float32Array.from([-0.5, 0, 1e-30]) },
      ],
      optimizer: [{ name: "iter", shape: [], data: Float32Array.from([step]) }],
    },
  };
}

Deno.test("checkpoint - decoding an encoded checkpoint gives back every tensor and field", async () => {
  const original = state(10);
  const decoded = await decodeCheckpoint(await encodeCheckpoint(original), "mem");
  assert.deepEqual(decoded, original);
});

Deno.test("checkpoint - any flipped byte, a truncation or a foreign file is refused", async () => {
  const bytes = await encodeCheckpoint(state(10));
  for (const at of [0, 9, 20, bytes.length - 40, bytes.length - 1]) {
    const damaged = bytes.slice();
    damaged[at] ^= 0x10;
    await assert.rejects(
      decodeCheckpoint(damaged, "x.ckpt"),
      (e: Error) => e instanceof UsageError && /x\.ckpt is corrupted/.test(e.message),
      `byte ${at}`,
    );
  }
  await assert.rejects(decodeCheckpoint(bytes.slice(0, bytes.length - 7), "cut"), /checksum mismatch/);
  await assert.rejects(decodeCheckpoint(new Uint8Array(10), "tiny"), /only 10 bytes/);
  await assert.rejects(decodeCheckpoint(new TextEncoder().encode('{"json": true}'.padEnd(60)), "j"), /wrong magic/);
});

Deno.test("checkpoint - saving is atomic, keeps the newest two, and loads the newest", async () => {
  await withTempDir(async (dir) => {
    for (const step of [5, 10, 15]) await saveCheckpoint(dir, state(step));
    const names = [];
    for await (const entry of Deno.readDir(dir)) names.push(entry.name);
    assert.deepEqual(names.sort(), ["step-000000010.ckpt", "step-000000015.ckpt"]); // no temporary files left
    assert.deepEqual(await listCheckpoints(dir), ["step-000000015.ckpt", "step-000000010.ckpt"]);
    const latest = await loadLatestCheckpoint(dir);
    assert.equal(latest.step, 15);
    assert.equal(latest.path, `${dir}/step-000000015.ckpt`);
  });
});

Deno.test("checkpoint - a corrupted newest checkpoint is an error that points at the previous one", async () => {
  await withTempDir(async (dir) => {
    await saveCheckpoint(dir, state(5));
    const newest = await saveCheckpoint(dir, state(10));
    const bytes = await Deno.readFile(newest);
    bytes[bytes.length >> 1] ^= 1;
    await Deno.writeFile(newest, bytes);
    await assert.rejects(
      loadLatestCheckpoint(dir),
      /step-000000010\.ckpt is corrupted \(checksum mismatch\).*Remove it to resume from the previous one, .*step-000000005\.ckpt/,
    );
  });
});

Deno.test("checkpoint - a folder without checkpoints says so", async () => {
  await withTempDir(async (dir) => {
    await assert.rejects(loadLatestCheckpoint(dir), /No checkpoint in .*stopped before its first checkpoint/);
    await assert.rejects(loadLatestCheckpoint(`${dir}/missing`), /No checkpoint/);
  });
});
