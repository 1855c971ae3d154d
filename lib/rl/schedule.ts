/** Linear interpolation from `start` to `end` over `duration` steps, then held at `end` (epsilon, learning rate). */
export function linearSchedule(start: number, end: number, duration: number): (step: number) => number {
  if (!(duration > 0)) throw new Error(`linearSchedule: duration must be positive, got ${duration}`);
  return (step) => start + (end - start) * Math.min(1, Math.max(0, step) / duration);
}
