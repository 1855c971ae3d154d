/**
 * Access: the token is asked of every page, API, SSE and file request (query once, then the
 * cookie it sets, or a Bearer header), and the Host header must name this server: a page on
 * another site cannot reach a loopback dashboard through DNS rebinding.
 */
import assert from "node:assert/strict";
import { createApp } from "../../../web/app.ts";
import { allowedHostNames, hostName } from "../../../web/security/host_check.ts";
import { sameToken } from "../../../web/security/token_auth.ts";
import { FakeRun, withRunsDir } from "../fixtures.ts";

const ID = "vae-mnist-20260102-030405-abcd";
const TOKEN = "0123456789abcdef0123456789abcdef";
const PATHS = [
  "/",
  `/runs/${ID}`,
  "/compare",
  "/api/runs",
  `/api/runs/${ID}/scalars`,
  `/api/runs/${ID}/live`,
  "/api/live",
  `/runs/${ID}/files/run.json`,
  `/api/export?runs=${ID}&format=csv`,
  "/static/islands.js",
];

Deno.test("auth - with a token, every page, API, stream and file refuses requests without it", async () => {
  await withRunsDir(async (runsDir) => {
    await FakeRun.create(runsDir, ID);
    const app = createApp({ runsDir, token: TOKEN });
    for (const path of PATHS) {
      const attempts: Record<string, string>[] = [{}, { authorization: "Bearer wrong" }, {
        cookie: "tflab_0000=" + TOKEN,
      }];
      for (const headers of attempts) {
        const response = await app.request(path, { headers });
        assert.equal(response.status, 401, `${path} with ${JSON.stringify(headers)}`);
        assert.match(await response.text(), /access token/);
      }
      const wrong = await app.request(`${path}${path.includes("?") ? "&" : "?"}token=nope`);
      assert.equal(wrong.status, 401, `${path}?token=nope`);
      await wrong.body?.cancel();
    }
  });
});

Deno.test("auth - the token in the URL sets a cookie and leaves the address bar; the cookie then suffices", async () => {
  await withRunsDir(async (runsDir) => {
    await FakeRun.create(runsDir, ID);
    const app = createApp({ runsDir, token: TOKEN });
    const first = await app.request(`/runs/${ID}?token=${TOKEN}&x=1`, { headers: { accept: "text/html" } });
    assert.equal(first.status, 302);
    assert.equal(first.headers.get("location"), `/runs/${ID}?x=1`);
    const cookie = first.headers.get("set-cookie")!;
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Strict/i);
    const pair = cookie.split(";")[0];
    for (const path of PATHS.filter((p) => !p.endsWith("/live") && !p.endsWith(".js"))) {
      const response = await app.request(path, { headers: { cookie: pair } });
      assert.equal(response.status, 200, path);
      await response.body?.cancel();
    }
    const stream = await app.request(`/api/runs/${ID}/live`, { headers: { cookie: pair } });
    assert.equal(stream.status, 200);
    assert.equal(stream.headers.get("content-type"), "text/event-stream");
    await stream.body?.cancel();
  });
});

Deno.test("auth - scripts may send the token as a Bearer header", async () => {
  await withRunsDir(async (runsDir) => {
    const response = await createApp({ runsDir, token: TOKEN }).request("/api/runs", {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), []);
  });
});

Deno.test("auth - without a token, loopback Host headers pass and foreign ones are refused", async () => {
  await withRunsDir(async (runsDir) => {
    const app = createApp({ runsDir });
    for (const host of ["localhost:8000", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST"]) {
      const response = await app.request("/api/runs", { headers: { host } });
      assert.equal(response.status, 200, host);
      await response.body?.cancel();
    }
    for (const host of ["evil.example:8000", "127.0.0.1.evil.example", "attacker", "localhost@evil", "[::1"]) {
      for (const path of ["/", "/api/runs", "/api/live"]) {
        const response = await app.request(path, { headers: { host } });
        assert.equal(response.status, 403, `${host} ${path}`);
        assert.match(await response.text(), /Unknown Host header/);
      }
    }
  });
});

Deno.test("auth - a server bound to an address also answers to that address and to extra names given", async () => {
  await withRunsDir(async (runsDir) => {
    const app = createApp({ runsDir, token: TOKEN, allowedHosts: allowedHostNames("10.1.2.3", ["lab.example.org"]) });
    const bearer = { authorization: `Bearer ${TOKEN}` };
    for (const host of ["10.1.2.3:8000", "lab.example.org", "localhost"]) {
      const response = await app.request("/api/runs", { headers: { host, ...bearer } });
      assert.equal(response.status, 200, host);
      await response.body?.cancel();
    }
    assert.equal((await app.request("/api/runs", { headers: { host: "10.1.2.4", ...bearer } })).status, 403);
  });
});

Deno.test("auth - host names parse with ports and IPv6 brackets; tokens compare exactly", () => {
  assert.equal(hostName("Example.COM:8080"), "example.com");
  assert.equal(hostName("[::1]:80"), "::1");
  assert.equal(hostName("a b"), null);
  assert.equal(hostName(undefined), null);
  assert.ok(sameToken(TOKEN, TOKEN));
  assert.ok(!sameToken(TOKEN.slice(0, -1), TOKEN));
  assert.ok(!sameToken(TOKEN + "0", TOKEN));
  assert.ok(!sameToken(undefined, TOKEN));
});
