import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { ReportInput } from './report.ts';

const CACHE_DIR = new URL('./.cache/', import.meta.url);
const fileFor = (orders: number) => new URL(`results-${orders}.json`, CACHE_DIR);

/** Keeps a run's raw measurements, so the report can be rendered again without measuring again. */
export async function saveResults(input: ReportInput): Promise<void> {
  await mkdir(CACHE_DIR, { recursive: true });
  await writeFile(fileFor(input.orders), `${JSON.stringify(input)}\n`);
}

export async function loadResults(orders: number): Promise<ReportInput> {
  return JSON.parse(await readFile(fileFor(orders), 'utf8')) as ReportInput;
}
