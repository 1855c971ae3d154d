/** Server rendering of a page: Preact to an HTML string, with the doctype. */
import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";

export const renderPage = (page: VNode): string => "<!DOCTYPE html>" + renderToString(page);
