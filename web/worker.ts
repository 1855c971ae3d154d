/// <reference lib="deno.worker" />
/**
 * The dashboard in a Worker, so that a training loop on the main thread never stalls a page:
 *
 *   const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
 *   worker.postMessage({ runsDir, host, port, token });        // ServeOptions
 *   worker.onmessage = (e) => console.log(e.data.url ?? e.data.error);
 *   ... later: worker.postMessage("shutdown"), then it posts { closed: true }
 */
import { serveDashboard, type ServedDashboard, type ServeOptions } from "./serve.ts";

let served: ServedDashboard | null = null;

self.onmessage = async (event: MessageEvent<ServeOptions | "shutdown">) => {
  if (event.data === "shutdown") {
    await served?.shutdown();
    served = null;
    self.postMessage({ closed: true });
    return;
  }
  if (served) return self.postMessage({ error: "the dashboard is already serving" });
  try {
    served = await serveDashboard(event.data);
    self.postMessage({ url: served.url });
  } catch (error) {
    self.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
};
