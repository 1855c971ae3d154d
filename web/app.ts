/**
 * The dashboard as a Hono app: security first (Host check, then the token when there is one),
 * then pages, APIs, live streams, run files and the islands bundle. Everything it shows of runs
 * and sweeps comes from the runs directory; the lab guides and the source view read the project's own
 * source folders as text (never importing the training code). Tests drive it in-process with `app.request()`.
 */
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { allowedHostNames, hostCheck } from "./security/host_check.ts";
import { tokenAuth } from "./security/token_auth.ts";
import { DEFAULT_STREAM_OPTIONS, newStreamStats, type StreamOptions } from "./sse/stream_stats.ts";
import { RunStore, type SharedRuns } from "./store/run_store.ts";
import { apiRoutes } from "./routes/api.ts";
import { assetRoutes } from "./routes/assets.ts";
import { comparePageRoutes } from "./routes/compare_page.tsx";
import type { Deps } from "./routes/deps.ts";
import { exportRoutes } from "./routes/export.ts";
import { fileRoutes } from "./routes/files.ts";
import { liveRoutes } from "./routes/live.ts";
import { notFoundPage } from "./routes/not_found.tsx";
import { runPageRoutes } from "./routes/run_page.tsx";
import { runsPageRoutes } from "./routes/runs_page.tsx";
import { sourceRoutes } from "./routes/source.tsx";
import { sweepPageRoutes } from "./routes/sweep_page.tsx";
import { PROJECT_ROOT } from "./guides/render_guide.ts";

export interface AppOptions {
  runsDir: string;
  /** runs from a shared run store (PostgreSQL) instead of runsDir */
  shared?: SharedRuns;
  /** when set, every request must carry it (?token=, cookie, or Authorization: Bearer) */
  token?: string;
  /** host names the Host header may carry, besides loopback (default: those of `host`) */
  allowedHosts?: string[];
  /** the address the server binds to, for the default allowedHosts */
  host?: string;
  /** how often followed runs are polled for new events (ms) */
  pollMs?: number;
  /** how often the runs list is rescanned while someone looks (ms) */
  listPollMs?: number;
  stream?: Partial<StreamOptions>;
  /** abort to end every live stream (before shutting the server down) */
  closing?: AbortSignal;
  /** where the lab guides and the source they link are read (default: this checkout) */
  projectRoot?: string;
  /**
   * The runs index, saved here between starts (a served dashboard:
   * run_index_cache.ts); indexing then starts at once, so that the first visit finds it ready.
   */
  indexCacheFile?: string | null;
}

export function createApp(options: AppOptions): Hono {
  const listPollMs = options.listPollMs ?? 1000;
  const deps: Deps = {
    store: new RunStore(options.runsDir, {
      pollMs: options.pollMs ?? 250,
      listPollMs,
      indexCacheFile: options.indexCacheFile,
      shared: options.shared,
    }),
    stream: { ...DEFAULT_STREAM_OPTIONS, ...options.stream },
    stats: newStreamStats(),
    closing: options.closing ?? new AbortController().signal,
    projectRoot: options.projectRoot ?? PROJECT_ROOT,
  };
  if (options.indexCacheFile !== undefined) {
    deps.store.index.sweep().catch((error) => console.error(`dashboard: indexing the runs: ${error}`));
  }
  const app = new Hono();
  app.use(hostCheck(options.allowedHosts ?? allowedHostNames(options.host ?? "127.0.0.1")));
  if (options.token) app.use(tokenAuth(options.token));
  app.use(secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      imgSrc: ["'self'", "data:"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      scriptSrc: ["'self'"],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
    },
    crossOriginEmbedderPolicy: false,
  }));
  const pages = [
    runsPageRoutes,
    runPageRoutes,
    sweepPageRoutes,
    comparePageRoutes,
    apiRoutes,
    exportRoutes,
    liveRoutes,
    fileRoutes,
    sourceRoutes,
  ];
  for (const routes of pages) {
    app.route("/", routes(deps));
  }
  app.route("/", assetRoutes());
  app.notFound((c) =>
    c.req.path.startsWith("/api/")
      ? c.json({ error: "no such API" }, 404)
      : c.html(notFoundPage(`Nothing at ${c.req.path}.`), 404)
  );
  app.onError((error, c) => {
    console.error(error);
    return c.text(`Internal error: ${error.message}`, 500);
  });
  return app;
}
