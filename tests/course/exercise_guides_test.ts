import assert from "node:assert/strict";
import { exerciseGuides } from "../../course/exercise_guides.ts";
import { findExercises } from "../../course/markers.ts";
import { REPO_ROOT } from "../helpers.ts";

Deno.test("exercise guides - every exercise is pointed to a guide section that links the code it asks for", async () => {
  const exercises = await findExercises(REPO_ROOT);
  const guides = await exerciseGuides(REPO_ROOT, exercises);
  assert.deepEqual(exercises.filter((ex) => guides.get(ex.id)!.length === 0).map((ex) => ex.id), []);
  assert.ok(guides.get("vae-kl")!.includes("labs/vae_mnist.md § The model"), guides.get("vae-kl")!.join("; "));
});
