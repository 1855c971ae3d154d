/**
 * What makes a run page's guide live: each linked event key shows its latest value (updated from
 * the run's live feed), and clicking the key scrolls to that chart and highlights it (opening its
 * group if closed). The guide itself is server-rendered HTML beside this island; the island only
 * finds its links by their data attributes, so the typeset guide is not sent twice.
 */
import { useEffect } from "preact/hooks";
import { useLatestScalars } from "../client/use_latest_scalars.ts";
import { formatValue } from "../shared/format.ts";

export interface GuideLiveProps {
  runId: string;
  generation: string;
  cursor: number;
  /** the event keys the guide links */
  keys: string[];
  /** their latest values when the page was rendered */
  latest: Record<string, number>;
}

const FLASH_MS = 2000;

export default function GuideLive(props: GuideLiveProps) {
  const latest = useLatestScalars(props, props.keys);

  useEffect(() => {
    for (const span of document.querySelectorAll<HTMLElement>("[data-key-value]")) {
      const value = latest[span.dataset.keyValue!];
      span.textContent = value === undefined ? "" : formatValue(value);
    }
  }, [latest]);

  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      const link = (event.target as Element | null)?.closest<HTMLElement>("a.key-link");
      if (!link) return;
      event.preventDefault();
      showChart(link);
    };
    document.addEventListener("click", onClick);
    return () => document.removeEventListener("click", onClick);
  }, []);

  return null;
}

/** Scrolls the chart of the link's key into view and flashes it; marks the link when there is no chart yet. */
function showChart(link: HTMLElement): void {
  const key = link.dataset.key!;
  const card = document.querySelector<HTMLElement>(`.chart-card[data-key="${CSS.escape(key)}"]`);
  const target = card ?? link;
  if (!card) link.title = `no ${key} points yet`;
  card?.closest("details")?.setAttribute("open", "");
  target.scrollIntoView({ behavior: "smooth", block: "center" });
  target.classList.add("flash");
  setTimeout(() => target.classList.remove("flash"), FLASH_MS);
}
