/**
 * The hyperparameter spec behind a run's config, for the config table's meanings and defaults.
 * Labs are imported lazily, only when a run page asks, and a lab this checkout does not have
 * (a run copied from elsewhere) simply shows its values without meanings.
 */
import type { Spec } from "../../lib/hparams.ts";

const cache = new Map<string, Promise<Spec | null>>();

export function labSpec(labId: string): Promise<Spec | null> {
  let spec = cache.get(labId);
  if (!spec) cache.set(labId, spec = loadSpec(labId));
  return spec;
}

async function loadSpec(labId: string): Promise<Spec | null> {
  try {
    const { LABS } = await import("../../labs/mod.ts");
    const load = Object.hasOwn(LABS, labId) ? LABS[labId] : undefined;
    if (!load) return null;
    const module = (await load()) as { lab: { spec?: Spec } };
    const { runFlags } = await import("../../runner/lab.ts");
    return { ...(module.lab.spec ?? {}), ...runFlags };
  } catch {
    return null;
  }
}
