import type { JsonPathStep } from './json-path.ts';

// The JSON text of the value at a path, exactly as it was written: what republish sends of a library's stored
// message (CAP's "Content" → "Value"). Parsing and writing the value again would change it: a 19-digit id would
// come back as a rounded number or a string, 12.50 as 12.5, and a consumer that binds a long from a JSON number
// (System.Text.Json) would refuse the copy.

/**
 * The source text of the value at `steps` inside `text`, or undefined when the text is not JSON or a step is
 * missing. Own members only, as readJsonPath; with a member written twice, the last one, as JSON.parse reads it.
 */
export function readJsonPathText(text: string, steps: readonly JsonPathStep[]): string | undefined {
  try {
    JSON.parse(text); // the scan below trusts the text to be JSON
  } catch {
    return undefined;
  }
  let start = skipSpace(text, 0);
  for (const step of steps) {
    const found = 'key' in step ? memberStart(text, start, step.key) : elementStart(text, start, step.index);
    if (found === undefined) return undefined;
    start = found;
  }
  return text.slice(start, endOfValue(text, start));
}

function memberStart(text: string, at: number, key: string): number | undefined {
  if (text[at] !== '{') return undefined;
  let found: number | undefined;
  let i = skipSpace(text, at + 1);
  while (text[i] === '"') {
    const keyEnd = endOfValue(text, i);
    const name: unknown = JSON.parse(text.slice(i, keyEnd));
    const valueStart = skipSpace(text, skipSpace(text, keyEnd) + 1); // past the colon
    if (name === key) found = valueStart;
    i = skipSpace(text, endOfValue(text, valueStart));
    if (text[i] === ',') i = skipSpace(text, i + 1);
  }
  return found;
}

function elementStart(text: string, at: number, index: number): number | undefined {
  if (text[at] !== '[') return undefined;
  let i = skipSpace(text, at + 1);
  for (let n = 0; text[i] !== ']'; n++) {
    if (n === index) return i;
    i = skipSpace(text, endOfValue(text, i));
    if (text[i] === ',') i = skipSpace(text, i + 1);
  }
  return undefined;
}

/** Where the value starting at `at` ends (exclusive): a string, an object or array with what it nests, a scalar. */
function endOfValue(text: string, at: number): number {
  const first = text[at];
  if (first === '"') return endOfString(text, at);
  if (first !== '{' && first !== '[') {
    let i = at;
    while (i < text.length && !',}] \t\r\n'.includes(text[i]!)) i++;
    return i;
  }
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = endOfString(text, i) - 1;
    else if (c === '{' || c === '[') depth++;
    else if ((c === '}' || c === ']') && --depth === 0) return i + 1;
  }
  return text.length;
}

function endOfString(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}

function skipSpace(text: string, at: number): number {
  let i = at;
  while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  return i;
}
