/**
 * A lab's reference curves as a chart draws them: those of one scalar key, placed on the run's
 * step axis (epochs through the run's own `epoch` scalar), one colour per curve of the lab.
 */
import type { ChartReference } from "../components/line_chart.tsx";
import { curveSteps, type EpochMarks, type ReferenceCurve } from "../shared/reference_curves.ts";

/** Dark and muted, so they read as guides beside the runs' bright colours. */
export const REFERENCE_COLORS = ["#111827", "#a16207", "#6b7280", "#0f766e"];

export const referenceColor = (curves: ReferenceCurve[], curve: ReferenceCurve) =>
  REFERENCE_COLORS[curves.indexOf(curve) % REFERENCE_COLORS.length];

/** The curves for `key` that can be placed on the step axis yet; `all` (default: `curves`) fixes the colours. */
export function chartReferences(
  curves: ReferenceCurve[],
  key: string,
  epochs: EpochMarks | undefined,
  all = curves,
): ChartReference[] {
  return curves.flatMap((curve) => {
    const xs = curve.metric === key ? curveSteps(curve, epochs) : null;
    if (!xs) return [];
    const banded = curve.points[0].low !== undefined;
    return [{
      label: curve.label,
      color: referenceColor(all, curve),
      xs,
      mean: curve.points.map((p) => p.mean),
      ...(banded && { band: { low: curve.points.map((p) => p.low!), high: curve.points.map((p) => p.high!) } }),
    }];
  });
}

/**
 * The compare page's references, several labs' told apart by their lab's name, one colour per
 * curve over all of them; `forKey` places each lab's on the steps `epochsOf(lab)` gives.
 */
export function compareReferences(references: Record<string, ReferenceCurve[]>) {
  const labs = Object.keys(references);
  const refs = labs.flatMap((lab) =>
    references[lab].map((curve) => ({
      lab,
      curve: labs.length > 1 ? { ...curve, label: `${lab}: ${curve.label}` } : curve,
    }))
  );
  const all = refs.map((r) => r.curve);
  const forKey = (key: string, epochsOf: (lab: string) => EpochMarks | undefined) =>
    refs.flatMap(({ lab, curve }) => chartReferences([curve], key, epochsOf(lab), all));
  return { all, forKey };
}
