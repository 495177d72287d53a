/** The name a misspelt one most likely meant, for "did you mean ...?" in errors about unknown names. */

/**
 * The known name closest to `name`: one that differs only in case, else the nearest by edit distance (insertions,
 * deletions, substitutions and swaps of two neighbours, case ignored) within 1 edit for names up to 4 characters,
 * 2 up to 8, 3 beyond; `undefined` when none is that close. A registered name (`lr-schedules>Constant`) is matched by
 * its class part too. Linear in the length of `name`. `cosinedecay` and `CosineDeacy` give `CosineDecay`; `Adam` gives
 * nothing among the schedules.
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const sameBut = known.find((k) => k.toLowerCase() === lower);
  if (sameBut !== undefined) return sameBut;
  const limit = lower.length <= 4 ? 1 : lower.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const k of known) {
    // A registered name (`lr-schedules>Constant`) is also matched by its class part, the name a user writes.
    for (const candidate of k.includes(">") ? [k, k.slice(k.lastIndexOf(">") + 1)] : [k]) {
      // The distance is at least the difference in length: no table for names that cannot be close enough.
      if (Math.abs(candidate.length - lower.length) >= bestDistance) continue;
      const d = editDistance(lower, candidate.toLowerCase());
      if (d < bestDistance) [best, bestDistance] = [k, d];
    }
  }
  return best;
}

/** The optimal-string-alignment distance (Damerau-Levenshtein with each substring edited once), three rows at a time. */
function editDistance(a: string, b: string): number {
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      current[j] = d;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}
