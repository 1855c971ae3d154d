/**
 * Refuses requests whose Host header names a host this dashboard was not reached by. A page on
 * another site can make a browser send requests to 127.0.0.1 under its own name (DNS
 * rebinding); checking the name stops that even where no token is asked for.
 */
import type { MiddlewareHandler } from "hono";

export const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1"];

/** "Example.com:8080" -> "example.com", "[::1]:80" -> "::1"; null for a malformed header. */
export function hostName(header: string | undefined): string | null {
  if (!header) return null;
  const text = header.trim().toLowerCase();
  if (text.startsWith("[")) {
    const end = text.indexOf("]");
    return end > 1 ? text.slice(1, end) : null;
  }
  const name = text.split(":")[0];
  return /^[a-z0-9.-]+$/.test(name) ? name : null;
}

export function isLoopback(name: string): boolean {
  return LOOPBACK_NAMES.includes(name) || name.endsWith(".localhost") || /^127\.\d+\.\d+\.\d+$/.test(name);
}

/** Names a server bound to `host` can be reached by: loopback, the bound address, this machine's names. */
export function allowedHostNames(host: string, extra: readonly string[] = []): string[] {
  const names = new Set([...LOOPBACK_NAMES, ...extra.map((name) => name.toLowerCase())]);
  if (host === "0.0.0.0" || host === "::") {
    names.add(Deno.hostname().toLowerCase());
    for (const iface of Deno.networkInterfaces()) names.add(iface.address.toLowerCase());
  } else {
    names.add(host.toLowerCase());
  }
  return [...names];
}

export function hostCheck(allowed: readonly string[]): MiddlewareHandler {
  const names = new Set(allowed);
  return async (c, next) => {
    // Deno.serve always passes the Host header; an in-process request may only have its URL.
    const host = c.req.header("host") ?? new URL(c.req.url).host;
    const name = hostName(host);
    if (name === null || !(names.has(name) || isLoopback(name))) {
      return c.text(
        `Unknown Host header '${host}'. This dashboard answers to: ${[...names].join(", ")}. ` +
          "Add a name with --allowed-hosts.",
        403,
      );
    }
    await next();
  };
}
