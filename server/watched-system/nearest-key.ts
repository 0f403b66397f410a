// "did you mean" for a misspelt key or database name: the closest known word by edit distance, if it is close
// enough to be a typo rather than a different word.

/** The known word nearest to `word`, or null when none is within a third of its length (at least 2 edits). */
export function nearestKey(word: string, known: readonly string[]): string | null {
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    // Case is a common slip (`UpdatedAt`, `createdat`): weigh it as one edit at most.
    const distance = Math.min(
      editDistance(word, candidate),
      word.toLowerCase() === candidate.toLowerCase() ? 1 : Number.POSITIVE_INFINITY,
    );
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : null;
}

/** `unknown key; did you mean "updatedAt"?`, or the keys it may have been when nothing is close. */
export function unknownKeyMessage(word: string, known: readonly string[]): string {
  const nearest = nearestKey(word, known);
  if (nearest !== null) return `unknown key; did you mean "${nearest}"?`;
  return `unknown key; expected one of ${known.map((key) => `"${key}"`).join(', ')}`;
}

/** Levenshtein distance: insertions, deletions and substitutions, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
