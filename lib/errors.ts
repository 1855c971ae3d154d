/**
 * An error the user caused and can fix: a bad flag, an unknown lab, a corrupted file. The lab
 * runner prints its message alone (no stack trace) and exits with status 2.
 */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Levenshtein distance: the number of single-character edits between two strings. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The candidates closest to `name`, best first: for "did you mean ...?" hints. */
export function nearestNames(name: string, candidates: readonly string[], max = 3): string[] {
  const scored = candidates.map((candidate) => ({
    candidate,
    distance: candidate.includes(name) || name.includes(candidate) ? 1 : editDistance(name, candidate),
  }));
  const limit = Math.max(2, Math.ceil(name.length / 2));
  return scored.filter((s) => s.distance <= limit)
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, max).map((s) => s.candidate);
}

/** " Did you mean --epochs?" or "" when nothing is close. */
export function didYouMean(
  name: string,
  candidates: readonly string[],
  prefix = "",
  opening = "Did you mean ",
  closing = "?",
): string {
  const near = nearestNames(name, candidates);
  return near.length ? ` ${opening}${near.map((n) => prefix + n).join(", ")}${closing}` : "";
}
