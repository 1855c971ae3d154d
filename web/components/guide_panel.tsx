/**
 * The lab's guide beside a run's charts: the server-rendered guide with each linked key's latest
 * value filled in for the first paint, and the GuideLive island that keeps the values current and
 * makes the key links scroll to their charts.
 */
import type { Guide } from "../guides/render_guide.ts";
import GuideLive from "../islands/guide_live.tsx";
import { formatValue } from "../shared/format.ts";
import { Island } from "./island.tsx";

export function GuidePanel({ guide, latest, live }: {
  guide: Guide;
  latest: Record<string, number>;
  live: { runId: string; generation: string; cursor: number };
}) {
  const html = guide.html.replace(
    /data-key-value="([^"]*)"><\/span>/g,
    (whole, key: string) => key in latest ? `data-key-value="${key}">${formatValue(latest[key])}</span>` : whole,
  );
  return (
    <details class="guide-panel" open data-testid="guide">
      <summary>
        <h2>Guide</h2>
      </summary>
      <div class="guide" dangerouslySetInnerHTML={{ __html: html }} />
      <Island component={GuideLive} props={{ ...live, keys: guide.keys, latest }} />
    </details>
  );
}
