/** The labels of the reference curves drawn on a chart: a dashed swatch in each one's colour, its source on hover. */
import { referenceColor } from "../client/reference_lines.ts";
import type { ReferenceCurve } from "../shared/reference_curves.ts";

/** The source in full: whose it is, what it is, what its band is, how to reproduce it or where it was published. */
export function describeReference(curve: ReferenceCurve): string {
  return [
    curve.kind === "own" ? "The project's own recorded runs." : "Outside reference.",
    curve.source,
    curve.band && `Band: ${curve.band}.`,
    curve.command && `Reproduce: ${curve.command}`,
    curve.url,
  ].filter(Boolean).join("\n");
}

/** `shown`: the curves drawn on this chart; `all`: the lab's curves, which fix the colours. */
export function ReferenceLegend({ shown, all }: { shown: ReferenceCurve[]; all: ReferenceCurve[] }) {
  if (!shown.length) return null;
  return (
    <div class="ref-legend">
      {shown.map((curve, i) => (
        <span key={i} data-testid="reference-label" title={describeReference(curve)}>
          <i style={{ borderColor: referenceColor(all, curve) }} />
          {curve.label}
        </span>
      ))}
    </div>
  );
}
