/**
 * Run directories for the dashboard's tests, written as the run writer writes them (run.json,
 * events.jsonl one line per event with seq and time, media/ files) without tfjs, so that web
 * tests start fast and control every byte.
 */
import { join } from "node:path";
import type { EpisodeRecord, NewEvent, RunEvent, RunInfo } from "../../lib/run/types.ts";

export class FakeRun {
  seq = 0;
  constructor(readonly dir: string, readonly info: RunInfo) {}

  static async create(runsDir: string, id: string, patch: Partial<RunInfo> = {}): Promise<FakeRun> {
    const dir = join(runsDir, id);
    await Deno.mkdir(join(dir, "media"), { recursive: true });
    const info: RunInfo = {
      id,
      lab: "vae-mnist",
      title: "Variational autoencoder on MNIST",
      status: "running",
      createdAt: "2026-01-02T03:04:05.000Z",
      updatedAt: "2026-01-02T03:04:05.000Z",
      config: { epochs: 3, batchSize: 600, seed: 1 },
      backend: { name: "wasm", reason: "asked for" },
      versions: { deno: "2.9.6", tfjs: "4.22.0" },
      host: { os: "linux", arch: "x86_64", hostname: "test", pid: 1 },
      headline: "eval/nelbo",
      totalSteps: 300,
      resumes: [],
      ...patch,
    };
    const run = new FakeRun(dir, info);
    await run.writeInfo();
    await Deno.writeTextFile(join(dir, "events.jsonl"), "");
    return run;
  }

  writeInfo(): Promise<void> {
    return Deno.writeTextFile(join(this.dir, "run.json"), JSON.stringify(this.info, null, 2));
  }

  /** Appends events (seq and time filled in), one line each; returns them. */
  async append(...events: NewEvent[]): Promise<RunEvent[]> {
    const full = events.map((e) => ({ seq: ++this.seq, time: 1_700_000_000_000 + this.seq * 1000, ...e }) as RunEvent);
    await Deno.writeTextFile(join(this.dir, "events.jsonl"), full.map((e) => JSON.stringify(e) + "\n").join(""), {
      append: true,
    });
    return full;
  }

  /** `count` train/loss points at steps 1..count (value 100 / step). */
  losses(count: number, from = 1): Promise<RunEvent[]> {
    return this.append(
      ...Array.from({ length: count }, (_, i) => ({
        kind: "scalar" as const,
        step: from + i,
        key: "train/loss",
        value: 100 / (from + i),
      })),
    );
  }

  async image(step: number, key: string): Promise<void> {
    const path = `media/${key.replaceAll("/", "-")}-step-${String(step).padStart(9, "0")}.png`;
    await Deno.writeFile(join(this.dir, path), PNG_1X1);
    await this.append({ kind: "image", step, key, path, width: 1, height: 1 });
  }

  async episode(step: number, record: EpisodeRecord, rewardThreshold?: number): Promise<void> {
    const path = `media/episodes-eval-step-${String(step).padStart(9, "0")}.json`;
    await Deno.writeTextFile(join(this.dir, path), JSON.stringify(record));
    const total = record.rewards.reduce((a, b) => a + b, 0);
    await this.append({
      kind: "episode",
      step,
      key: "episodes/eval",
      env: record.env,
      path,
      return: total,
      length: record.rewards.length,
      ...(rewardThreshold === undefined ? {} : { rewardThreshold }),
    });
  }

  async finish(step: number): Promise<void> {
    await this.append({ kind: "status", step, status: "finished" });
    this.info.status = "finished";
    await this.writeInfo();
  }
}

/** A 1x1 transparent PNG. */
export const PNG_1X1 = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="),
  (c) => c.charCodeAt(0),
);

export async function withRunsDir<T>(body: (runsDir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "tflab-web-" });
  try {
    return await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Reads an SSE response until `until` says enough (or the time is up), then cancels it. */
export async function readSse(
  response: Response,
  until: (text: string) => boolean,
  { timeoutMs = 5000 } = {},
): Promise<string> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const deadline = Date.now() + timeoutMs;
  try {
    while (!until(text)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`SSE: condition not met in ${timeoutMs} ms; got:\n${text.slice(-2000)}`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const chunk = await Promise.race([
        reader.read(),
        new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), left))),
      ]);
      clearTimeout(timer);
      if (chunk === null) continue;
      if (chunk.done) throw new Error(`SSE: the stream ended before the condition was met; got:\n${text.slice(-2000)}`);
      text += chunk.value;
    }
  } finally {
    await reader.cancel();
  }
  return text;
}

/** The messages of an SSE text: id, event and parsed data of each. */
export function sseMessages(text: string): { id?: string; event: string; data: unknown }[] {
  return text.split("\n\n").filter((block) => /^data:/m.test(block)).map((block) => {
    const field = (name: string) => block.match(new RegExp(`^${name}: ?(.*)$`, "m"))?.[1];
    const data = block.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.replace(/^data: ?/, "")).join(
      "\n",
    );
    return { id: field("id"), event: field("event") ?? "message", data: JSON.parse(data) };
  });
}
