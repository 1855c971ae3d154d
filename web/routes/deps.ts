/** What every route needs: the run store, stream settings and counters, where the guides are. One per app. */
import type { StreamOptions, StreamStats } from "../sse/stream_stats.ts";
import type { RunStore } from "../store/run_store.ts";

export interface Deps {
  store: RunStore;
  stream: StreamOptions;
  stats: StreamStats;
  /** aborted when the server shuts down: live streams end so that shutdown does not wait on them */
  closing: AbortSignal;
  /** the folder whose labs/ holds the guides and whose source folders the source view shows */
  projectRoot: string;
}
