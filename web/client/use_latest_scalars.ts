/**
 * A hook for the islands that show a few scalars' latest values (the system panel, the guide):
 * the values the page was rendered with, then every newer value of those keys from the run's
 * live feed, which the page's islands share.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { RunEvent } from "../shared/payloads.ts";
import { consume } from "./live_feed.ts";
import { runFeed } from "./run_feed.ts";

export function useLatestScalars(
  { runId, cursor, generation, latest: initial }: {
    runId: string;
    cursor: number;
    generation: string;
    latest: Record<string, number>;
  },
  keys: readonly string[],
): Record<string, number> {
  const feed = useMemo(() => runFeed(runId, cursor, generation), []);
  const consumed = useRef(0);
  const [latest, setLatest] = useState(initial);
  const version = feed.version.value;
  useEffect(() => {
    const next = { ...latest };
    consumed.current = consume(feed, consumed.current, ({ data }) => {
      const event = data as RunEvent;
      if (event.kind === "scalar" && keys.includes(event.key)) next[event.key] = event.value;
    });
    setLatest(next);
  }, [version]);
  return latest;
}
