/** Counters of the live streams one app serves: for /api/health, and for tests of their limits. */
export interface StreamStats {
  /** streams open now */
  open: number;
  /** streams opened since start */
  opened: number;
  /** events handed to streams since start */
  sentEvents: number;
}

export const newStreamStats = (): StreamStats => ({ open: 0, opened: 0, sentEvents: 0 });

export interface StreamOptions {
  /** ends every stream when aborted (server shutdown) */
  closing?: AbortSignal;
  /** a comment line after this much silence keeps proxies and load balancers from closing the stream */
  heartbeatMs: number;
  /** the most events one write carries: what a slow client can cost the server, at most */
  batchSize: number;
  /** how long the browser waits before reconnecting (the SSE retry field) */
  retryMs: number;
}

export const DEFAULT_STREAM_OPTIONS: StreamOptions = { heartbeatMs: 15_000, batchSize: 500, retryMs: 1000 };
