// PromQL and Grafana template text, read just far enough for the tests: the metric names and series selectors in an
// expression, the compared side of a threshold, and Grafana's $variables. Not a parser: the expressions it reads are
// the project's own, and the tests cross-check it against Prometheus itself.

/** `recon_…` metric names an expression reads; histogram series suffixes are mapped back to the histogram. */
export function reconMetricNames(expr: string, histograms: ReadonlySet<string>): string[] {
  const names = new Set<string>();
  for (const [token] of expr.matchAll(/recon_[a-z_]+/g)) {
    const base = token.replace(/_(bucket|sum|count)$/, '');
    names.add(base !== token && histograms.has(base) ? base : token);
  }
  return [...names];
}

/**
 * Every metric name an expression reads (`recon_`, runtime and others alike), histogram series suffixes mapped back
 * to the histogram: the names a scrape must expose for the expression to return data.
 */
export function metricNames(expr: string, histograms: ReadonlySet<string>): string[] {
  const names = selectors(expr).map((selector) => selector.replace(/\s*\{[\s\S]*$/, ''));
  return [
    ...new Set(
      names.map((name) => {
        const base = name.replace(/_(bucket|sum|count)$/, '');
        return base !== name && histograms.has(base) ? base : name;
      }),
    ),
  ];
}

/**
 * The instant-vector selectors in an expression (`name{matchers}` or a bare name), without range or offset, so
 * each can be evaluated alone: "does this series exist at all?" Function and keyword names are not selectors.
 */
export function selectors(expr: string): string[] {
  const found = new Set<string>();
  // Blank out what cannot hold a selector (strings, [ranges], $variables), keeping every index where it was.
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"|\[[^\]]*\]|\$\{?\w+\}?/g, (s) => '\u0000'.repeat(s.length));
  for (const m of withoutStrings.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{[^}]*\})?/g)) {
    const [, name = ''] = m;
    const next = withoutStrings.slice(m.index + m[0].length).trimStart();
    // A word followed by `(` is a function; label names in `by (…)` are not series.
    if (!m[2] && (next.startsWith('(') || PROMQL_WORDS.has(name))) continue;
    if (isInsideGrouping(withoutStrings, m.index)) continue;
    found.add(expr.slice(m.index, m.index + m[0].length).trim());
  }
  return [...found];
}

const PROMQL_WORDS = new Set([
  // aggregation operators may take `by (…)` before their parentheses
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'offset',
  'bool',
  'inf',
  'nan',
]);

/** True when position `at` is inside the parentheses of `by (…)`, `without (…)`, `on (…)` or `ignoring (…)`. */
function isInsideGrouping(expr: string, at: number): boolean {
  const open = expr.lastIndexOf('(', at);
  if (open < 0 || expr.lastIndexOf(')', at) > open) return false;
  return /\b(by|without|on|ignoring|group_left|group_right)\s*$/.test(expr.slice(0, open));
}

/** Grafana's built-in variables the tests replace, with values a 1 s scrape interval can fill. */
export const GRAFANA_BUILTINS: Record<string, string> = {
  __rate_interval: '1m',
  __interval: '15s',
  __range: '5m',
};

/** Replaces `$name` and `${name}` (Grafana's template syntax) with the given values; unknown names are left as is. */
export function substituteVariables(expr: string, values: Record<string, string>): string {
  return expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    return values[name] ?? whole;
  });
}

/** The variable names an expression uses. */
export function variablesIn(expr: string): string[] {
  return [...expr.matchAll(/\$\{(\w+)\}|\$(\w+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

/**
 * For a plain threshold alert (`<expr> > 300`, one comparison with a number at the top level and no set
 * operators), the expression it compares; otherwise undefined.
 */
export function thresholdLeftSide(expr: string): string | undefined {
  const m = /^([\s\S]*?)\s*(==|!=|>=|<=|>|<)\s*-?\d+(?:\.\d+)?\s*$/.exec(expr.trim());
  const left = m?.[1];
  if (!left) return undefined;
  return /\b(or|and|unless)\b|[=!<>]/.test(topLevel(left)) ? undefined : left;
}

/** The expression with everything inside parentheses, braces, brackets and strings blanked out. */
function topLevel(expr: string): string {
  let depth = 0;
  let quote: string | undefined;
  let out = '';
  for (const ch of expr) {
    if (quote) {
      if (ch === quote) quote = undefined;
      out += ' ';
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      out += ' ';
    } else if ('({['.includes(ch)) {
      depth++;
      out += ' ';
    } else if (')}]'.includes(ch)) {
      depth--;
      out += ' ';
    } else {
      out += depth === 0 ? ch : ' ';
    }
  }
  return out;
}
