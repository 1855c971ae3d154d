/** Links to the first, previous, next and last page of the runs list, and where this page is. */
import type { RunsPage } from "../shared/payloads.ts";
import type { RunsQuery } from "../shared/runs_query.ts";

export function RunsPager({ page, href }: { page: RunsPage; href: (patch: Partial<RunsQuery>) => string }) {
  const { query, pages, total } = page;
  if (pages <= 1) return null;
  const at = Math.min(query.page, pages);
  const first = (at - 1) * query.size + 1, last = Math.min(at * query.size, total);
  const link = (to: number, label: string, name: string) =>
    to === at || to < 1 || to > pages
      ? <span class="dim">{label}</span>
      : <a href={href({ page: to })} data-testid={name}>{label}</a>;
  return (
    <nav class="controls pager" data-testid="pager">
      {link(1, "« first", "first-page")}
      {link(at - 1, "‹ previous", "previous-page")}
      <span data-testid="page-position">
        page {at} of {pages} · runs {first}–{last} of {total}
      </span>
      {link(at + 1, "next ›", "next-page")}
      {link(pages, "last »", "last-page")}
    </nav>
  );
}
