/// <reference lib="dom" />
/**
 * The runs list's filters as a plain GET form: submitting it loads the page for the new query,
 * so the URL always says what is shown (a link or a reload gives the same list) and it works
 * before the islands bundle has loaded. The counts beside labs and statuses are how many runs
 * choosing that one would show.
 */
import type { RunsPage } from "../shared/payloads.ts";
import { DEFAULT_PAGE_SIZE, formatTerm, STATUSES } from "../shared/runs_query.ts";

export function RunsFilters({ page, base }: { page: RunsPage; base: string }) {
  const { query, counts } = page;
  const labs = [...new Set([...Object.keys(counts.lab), ...query.lab])].sort();
  const submit = (event: Event) => (event.currentTarget as HTMLSelectElement).form?.requestSubmit();
  // With the bundle loaded, the URL leaves out the empty fields (?lab=x rather than ?q=&lab=x&status=...).
  const go = (event: Event) => {
    event.preventDefault();
    const fields = new FormData(event.currentTarget as HTMLFormElement);
    const params = new URLSearchParams();
    for (const [name, value] of fields) {
      if (typeof value === "string" && value.trim()) params.append(name, value.trim());
    }
    if (params.get("order") === (params.has("sort") ? "asc" : "desc")) params.delete("order");
    if (params.get("size") === String(DEFAULT_PAGE_SIZE)) params.delete("size");
    location.href = `${base}?${params}`;
  };
  return (
    <form class="controls filters" method="get" action={base} onSubmit={go} data-testid="filters">
      <input type="search" name="q" value={query.q} placeholder="search id, lab, notes" aria-label="search" />
      <select name="lab" aria-label="lab" onChange={submit}>
        <option value="">every lab</option>
        {labs.map((lab) => (
          <option key={lab} value={lab} selected={query.lab.includes(lab)}>
            {lab} ({counts.lab[lab] ?? 0})
          </option>
        ))}
      </select>
      <select name="status" aria-label="status" onChange={submit}>
        <option value="">any status</option>
        {STATUSES.filter((s) => counts.status[s] || query.status.includes(s)).map((status) => (
          <option key={status} value={status} selected={query.status.includes(status)}>
            {status} ({counts.status[status] ?? 0})
          </option>
        ))}
      </select>
      <input
        name="config"
        value={query.config.map(formatTerm).join(" ")}
        placeholder="config: lr=0.001 batch-size=64"
        aria-label="config"
        class="mono"
      />
      <input
        name="metric"
        value={query.metric.map(formatTerm).join(" ")}
        placeholder="metric: eval/nelbo=100..110"
        aria-label="metric"
        class="mono"
      />
      {query.sort !== "created" && <input type="hidden" name="sort" value={query.sort} />}
      <input type="hidden" name="order" value={query.order} />
      <select name="size" aria-label="rows per page" onChange={submit}>
        {[...new Set([25, 50, 100, 200, 500, query.size])].sort((a, b) => a - b).map((size) => (
          <option key={size} value={size} selected={size === query.size}>{size} a page</option>
        ))}
      </select>
      <button type="submit">Filter</button>
      <a href={base}>clear</a>
    </form>
  );
}
