/**
 * The course's part in a lab's start: in a student copy, a lab whose exercises are not written
 * yet names them before anything starts (pending_exercises.ts). Installed by the command line.
 */
import { onLabStart } from "../runner/lab_hooks.ts";
import { requireExercises } from "./pending_exercises.ts";

export const installCourseHook = (): void => onLabStart(requireExercises);
