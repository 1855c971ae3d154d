/** The page frame: head, top bar, and the islands bundle (module scripts run after parsing). */
import type { ComponentChildren } from "preact";

export function Layout({ title, children, wide, math }: {
  title: string;
  children: ComponentChildren;
  wide?: boolean;
  /** the page shows typeset TeX (a lab guide): load KaTeX's stylesheet */
  math?: boolean;
}) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title} · tflab</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/static/dashboard.css" />
        {math && <link rel="stylesheet" href="/static/katex/katex.min.css" />}
        <script type="module" src="/static/islands.js" />
      </head>
      <body>
        <header class="topbar">
          <a class="brand" href="/">tflab</a>
          <nav>
            <a href="/">Runs</a>
            <a href="/compare">Compare</a>
          </nav>
        </header>
        <main class={wide ? "page wide" : "page"}>{children}</main>
      </body>
    </html>
  );
}
