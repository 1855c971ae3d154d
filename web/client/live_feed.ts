/**
 * The page's one EventSource. Every island on a page that wants live data asks for the feed by
 * URL and gets the same one; messages are kept in arrival order and a signal ticks once per
 * animation frame that brought any, so a burst of a thousand events costs one re-render.
 * The browser reconnects by itself and sends Last-Event-ID; a "reset" (the run's events were
 * rewritten by --resume) reloads the page, the only state that is right again.
 */
import { type Signal, signal } from "@preact/signals";

export interface FeedMessage {
  type: string;
  data: unknown;
}

export interface LiveFeed {
  /** every message since the page loaded, in order */
  messages: FeedMessage[];
  /** bumps when messages were added */
  version: Signal<number>;
  connected: Signal<boolean>;
}

let feed: { url: string; live: LiveFeed } | null = null;

/** The page's feed; a second URL on one page is a bug, reported loudly. */
export function liveFeed(url: string, named: readonly string[] = []): LiveFeed {
  // On the server (SSR) there is no EventSource and nothing is shared between requests.
  if (typeof document === "undefined") return { messages: [], version: signal(0), connected: signal(false) };
  if (feed) {
    if (feed.url !== url) throw new Error(`one EventSource per page: ${feed.url} is open, ${url} asked for`);
    return feed.live;
  }
  const live: LiveFeed = { messages: [], version: signal(0), connected: signal(false) };
  feed = { url, live };
  const source = new EventSource(url);
  let scheduled = false;
  const push = (type: string) => (event: MessageEvent) => {
    live.messages.push({ type, data: JSON.parse(event.data) });
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      live.version.value++;
    });
  };
  source.onmessage = push("message");
  for (const name of named) source.addEventListener(name, push(name) as EventListener);
  source.addEventListener("reset", () => location.reload());
  source.onopen = () => (live.connected.value = true);
  source.onerror = () => (live.connected.value = false);
  addEventListener("pagehide", () => source.close());
  return live;
}

/** Calls `apply` with each message not seen before by this consumer; returns the new position. */
export function consume(live: LiveFeed, from: number, apply: (message: FeedMessage) => void): number {
  for (let i = from; i < live.messages.length; i++) apply(live.messages[i]);
  return live.messages.length;
}
