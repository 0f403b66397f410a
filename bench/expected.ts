import { mkdir, readFile, writeFile } from 'node:fs/promises';

/** The exact answer the seed built in, so every contestant's result is checked id by id. */
export interface Expected {
  orders: number;
  dispatches: number;
  /** Order ids with no dispatch row, sorted. */
  missing: string[];
  /** Order ids of dispatch rows whose order does not exist, sorted. */
  orphans: string[];
  seededAt: string;
}

const CACHE_DIR = new URL('./.cache/', import.meta.url);
const EXPECTED_FILE = new URL('expected.json', CACHE_DIR);

export async function writeExpected(expected: Expected): Promise<void> {
  await mkdir(CACHE_DIR, { recursive: true });
  await writeFile(EXPECTED_FILE, `${JSON.stringify(expected)}\n`);
}

export async function readExpected(): Promise<Expected | undefined> {
  try {
    return JSON.parse(await readFile(EXPECTED_FILE, 'utf8')) as Expected;
  } catch {
    return undefined;
  }
}

/** A contestant's answer against the expected one: exact means the same ids, none missing and none extra. */
export interface Exactness {
  isExact: boolean;
  missing: { found: number; expected: number; wrong: number };
  orphans: { found: number; expected: number; wrong: number };
}

export function compare(
  found: { missing: readonly string[]; orphans: readonly string[] },
  expected: { missing: readonly string[]; orphans: readonly string[] },
): Exactness {
  const side = (got: readonly string[], want: readonly string[]) => {
    const wanted = new Set(want);
    const gotSet = new Set(got);
    const wrong = [...gotSet].filter((id) => !wanted.has(id)).length + want.filter((id) => !gotSet.has(id)).length;
    return { found: gotSet.size, expected: wanted.size, wrong: wrong + (got.length - gotSet.size) };
  };
  const missing = side(found.missing, expected.missing);
  const orphans = side(found.orphans, expected.orphans);
  return { isExact: missing.wrong === 0 && orphans.wrong === 0, missing, orphans };
}
