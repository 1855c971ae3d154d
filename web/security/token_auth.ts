/**
 * Access token, asked for on every page, API, SSE and file request when the dashboard listens
 * beyond loopback (or is given one). The URL the dashboard prints carries it as ?token=; the
 * first request with it sets a cookie (HttpOnly, SameSite=Strict) and is redirected to the same
 * URL without it, so the token leaves the address bar and EventSource requests carry the cookie.
 * Scripts may send `Authorization: Bearer <token>` instead.
 */
import type { MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";

/** 128 bits from the OS generator, as hex. */
export const newToken = (): string =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

/** Compares in time independent of where the strings differ. */
export function sameToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = new TextEncoder().encode(given), b = new TextEncoder().encode(token);
  let difference = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) difference |= (a[i] ?? 0) ^ b[i];
  return difference === 0;
}

/** One cookie name per token, so dashboards on other ports of the same host keep theirs. */
async function cookieName(token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)));
  return "tflab_" + Array.from(digest.slice(0, 4), (b) => b.toString(16).padStart(2, "0")).join("");
}

export function tokenAuth(token: string): MiddlewareHandler {
  const name = cookieName(token);
  return async (c, next) => {
    const cookie = await name;
    const bearer = c.req.header("authorization")?.match(/^Bearer (.+)$/i)?.[1];
    if (sameToken(getCookie(c, cookie), token) || sameToken(bearer, token)) return await next();
    const query = c.req.query("token");
    if (sameToken(query, token)) {
      setCookie(c, cookie, token, { httpOnly: true, sameSite: "Strict", path: "/" });
      if (c.req.method !== "GET" || !c.req.header("accept")?.includes("text/html")) return await next();
      const url = new URL(c.req.url);
      url.searchParams.delete("token");
      return c.redirect(url.pathname + url.search, 302);
    }
    return c.text(
      "This dashboard needs its access token: open the URL it printed when it started (the one with ?token=...).",
      401,
    );
  };
}
