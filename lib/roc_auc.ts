/**
 * The area under the ROC curve of a score that should rank `positives` above `negatives`: the
 * probability that a random positive scores higher than a random negative, ties counting half
 * (Hanley and McNeil, 1982; it equals the Mann-Whitney U statistic over n+ n-). Used for anomaly
 * detection: positives are the anomalies (e.g. Fashion-MNIST), the score their reconstruction error.
 *
 * Computed as the ROC curve itself: thresholds swept from the highest score down, one point per
 * distinct score, the area summed by trapezoids (a tie group is one diagonal segment, which is
 * where the half credit for ties comes from). O(n log n).
 */
export function rocAuc(positives: ArrayLike<number>, negatives: ArrayLike<number>): number {
  const nPos = positives.length, nNeg = negatives.length;
  if (nPos === 0 || nNeg === 0) {
    throw new Error(`rocAuc: expected at least one positive and one negative, got ${nPos} and ${nNeg}`);
  }
  const scores = Float64Array.from({ length: nPos + nNeg }, (_, i) => (i < nPos ? positives[i] : negatives[i - nPos]));
  const bad = scores.findIndex((s) => Number.isNaN(s));
  if (bad >= 0) {
    throw new Error(`rocAuc: expected scores, got NaN at index ${bad} of ${bad < nPos ? "positives" : "negatives"}`);
  }
  const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a]); // descending score
  let tp = 0, fp = 0, area = 0;
  for (let i = 0; i < order.length;) {
    const [tp0, fp0] = [tp, fp];
    const threshold = scores[order[i]];
    for (; i < order.length && scores[order[i]] === threshold; i++) order[i] < nPos ? tp++ : fp++;
    area += (fp - fp0) * (tp + tp0) / 2; // trapezoid between consecutive ROC points, in counts
  }
  return area / (nPos * nNeg);
}
