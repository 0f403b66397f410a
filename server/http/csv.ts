// CSV as RFC 4180 writes it (CRLF lines, quoted cells where needed), for exports a spreadsheet opens.

/** A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One line: each value as a cell, null as an empty one; formula-like text gets a leading `'` so it stays text. */
export function toCsvLine(values: ReadonlyArray<string | null>): string {
  return `${values.map(toCell).join(',')}\r\n`;
}

function toCell(value: string | null): string {
  if (value === null) return '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
