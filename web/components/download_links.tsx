/** Links that download every scalar of the given runs as one table (GET /api/export, streamed by the server). */
import { Fragment } from "preact";
import type { ExportFormat } from "../../lib/run/export_scalars.ts";

const FORMATS: [ExportFormat, string][] = [["csv", "CSV"], ["json", "JSON"], ["jsonl", "JSON Lines"]];

export function DownloadLinks({ ids }: { ids: readonly string[] }) {
  const href = (format: ExportFormat) => `/api/export?runs=${ids.map(encodeURIComponent).join(",")}&format=${format}`;
  return (
    <span class="downloads" data-testid="downloads">
      every scalar{ids.length > 1 ? ` of the ${ids.length} runs` : ""}:{" "}
      {FORMATS.map(([format, name], i) => (
        <Fragment key={format}>
          {i > 0 && " · "}
          <a href={href(format)} download data-format={format}>{name}</a>
        </Fragment>
      ))}
    </span>
  );
}
