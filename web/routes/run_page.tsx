/**
 * GET /runs/:id: one run, live: status line, scalar charts, and beside them the lab's guide (the
 * lecture's equations linked to the code and to these charts), the system panel and the config;
 * then images and episodes. The lab's reference curves are drawn on the charts and judge the
 * headline metric in the status line.
 */
import { Hono } from "hono";
import { ConfigTable } from "../components/config_table.tsx";
import { DownloadLinks } from "../components/download_links.tsx";
import { Island } from "../components/island.tsx";
import { Layout } from "../components/layout.tsx";
import EpisodePanel from "../islands/episode_panel.tsx";
import { GuidePanel } from "../components/guide_panel.tsx";
import { loadGuide } from "../guides/render_guide.ts";
import ImageTimeline from "../islands/image_timeline.tsx";
import RunHeader from "../islands/run_header.tsx";
import ScalarCharts from "../islands/scalar_charts.tsx";
import SystemPanel from "../islands/system_panel.tsx";
import { runSnapshot } from "../store/run_snapshot.ts";
import { loadReferencesOrError } from "../references/load_references.ts";
import { configMismatch, type ReferenceCurve } from "../shared/reference_curves.ts";
import { flagName } from "../../lib/hparams.ts";
import type { Deps } from "./deps.ts";
import { notFoundPage } from "./not_found.tsx";
import { renderPage } from "./render.ts";

export function runPageRoutes({ store, projectRoot }: Deps): Hono {
  return new Hono().get("/runs/:id", async (c) => {
    const id = c.req.param("id");
    const [info, log] = await Promise.all([store.info(id), store.log(id)]);
    if (!info || !log) return c.html(notFoundPage(`No run '${id}' in the runs directory.`), 404);
    const snap = runSnapshot(id, info, log);
    const guide = await loadGuide(info.lab, projectRoot);
    const { curves: labCurves, error: referenceError } = await loadReferencesOrError(info.lab, projectRoot);
    // Only the references measured with this run's settings are drawn and judge it.
    const curves = labCurves.filter((c) => !configMismatch(c, info.config));
    const skipped = labCurves.filter((c) => configMismatch(c, info.config));
    const guideLatest = Object.fromEntries(
      (guide?.keys ?? []).flatMap((key) => {
        const value = log.scalars.get(key)?.value.at(-1);
        return value === undefined ? [] : [[key, value]];
      }),
    );
    const live = { runId: id, generation: snap.generation, cursor: snap.cursor };
    return c.html(renderPage(
      <Layout title={`${info.lab} ${id}`} math={guide !== null}>
        <div class="run-title">
          <h1>{info.title}</h1>
          <span class="mono dim">{info.lab} · {id}</span>
        </div>
        <Island
          component={RunHeader}
          props={{
            ...live,
            ...snap,
            totalSteps: info.totalSteps,
            headline: info.headline,
            references: curves.filter((c) => c.metric === info.headline),
          }}
        />
        {info.error && <pre class="error">{info.error}</pre>}
        {referenceError && <pre class="error">{referenceError}</pre>}
        <div class={guide ? "run-grid with-guide" : "run-grid"}>
          <section class="main-col">
            <h2>Scalars</h2>
            <SkippedReferences curves={skipped} config={info.config} />
            <Island
              component={ScalarCharts}
              props={{ runId: id, generation: snap.generation, scalars: snap.scalars, references: curves }}
            />
            <Island component={ImageTimeline} props={{ ...live, images: snap.images }} />
            <Island component={EpisodePanel} props={{ ...live, episodes: snap.episodes }} />
          </section>
          <aside class="side-col">
            {guide && <GuidePanel guide={guide} latest={guideLatest} live={live} />}
            <h2>System</h2>
            <Island
              component={SystemPanel}
              props={{
                ...live,
                backend: info.backend,
                host: info.host,
                resumes: info.resumes,
                versions: info.versions,
                latest: snap.latest,
              }}
            />
            <h2>Config</h2>
            <ConfigTable config={info.config} spec={info.spec} />
            <p class="small dim">
              created {info.createdAt}
              {(info.resumes?.length ?? 0) > 0 && ` · resumed ${info.resumes.length}×`} ·{" "}
              <a href={`/runs/${encodeURIComponent(id)}/files/run.json`}>run.json</a> ·{" "}
              <a href={`/runs/${encodeURIComponent(id)}/files/events.jsonl`}>events.jsonl</a> ·{" "}
              <DownloadLinks ids={[id]} />
            </p>
          </aside>
        </div>
      </Layout>,
    ));
  });
}

/** Why a reference of the lab is not drawn: it was measured with another value of a flag this run sets. */
function SkippedReferences({ curves, config }: { curves: ReferenceCurve[]; config: Record<string, unknown> }) {
  if (!curves.length) return null;
  return (
    <p class="small dim" data-testid="references-skipped">
      Not drawn: {curves.map((curve) => {
        const { flag, curve: theirs, run } = configMismatch(curve, config)!;
        return `${curve.label}, measured with --${flagName(flag)} ${theirs} (this run: ${run})`;
      }).join("; ")}.
    </p>
  );
}
