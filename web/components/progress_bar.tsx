/** Steps done out of planned, as a thin bar with the numbers beside it. */
export function ProgressBar({ step, total }: { step: number; total: number }) {
  const fraction = total > 0 ? Math.min(1, step / total) : 0;
  return (
    <span class="progress" title={`${step} of ${total} steps`}>
      <span class="progress-track">
        <span class="progress-fill" style={{ width: `${(fraction * 100).toFixed(1)}%` }} />
      </span>
      <span class="progress-text">{total > 0 ? `${step}/${total}` : `${step}`}</span>
    </span>
  );
}
