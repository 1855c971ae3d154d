/// <reference lib="dom" />
/**
 * The browser entry: hydrates every island the server rendered (web/components/island.tsx
 * writes the markers) with the props written beside it. Built into /static/islands.js by
 * web/bundle.ts.
 */
import { h, hydrate } from "preact";
import { ISLANDS } from "../islands/mod.ts";

for (const el of document.querySelectorAll<HTMLElement>("[data-island]")) {
  const component = ISLANDS[el.dataset.island as keyof typeof ISLANDS];
  const script = el.nextElementSibling;
  if (!component || !(script instanceof HTMLScriptElement)) continue;
  // deno-lint-ignore no-explicit-any
  hydrate(h(component as any, JSON.parse(script.textContent ?? "{}")), el);
}
