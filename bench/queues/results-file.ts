import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { QueuesReportInput } from './report.ts';

const CACHE_DIR = new URL('../.cache/', import.meta.url);
const BENCHMARKS_FILE = new URL('../../BENCHMARKS.md', import.meta.url);

/** A scenario is its queue count and extra consumers: each has its own cache file and its own block. */
export interface Scenario {
  queues: number;
  extraConsumers: number;
}

const keyOf = (s: Scenario) => `queues=${s.queues} consumers=${s.extraConsumers}`;
const cacheFile = (s: Scenario) => new URL(`queues-results-${s.queues}-${s.extraConsumers}.json`, CACHE_DIR);

/** Keeps a run's raw measurements (gitignored), so that its report can be rendered again without measuring. */
export async function saveQueuesResults(input: QueuesReportInput): Promise<void> {
  await mkdir(CACHE_DIR, { recursive: true });
  await writeFile(cacheFile(input), `${JSON.stringify(input)}\n`);
}

export async function loadQueuesResults(scenario: Scenario): Promise<QueuesReportInput> {
  return JSON.parse(await readFile(cacheFile(scenario), 'utf8')) as QueuesReportInput;
}

/**
 * Replaces this scenario's results block in BENCHMARKS.md's broker section, between its markers, leaving the prose
 * around it (method, caveats: written by hand) alone. Without the markers it changes nothing and says so.
 */
export async function writeQueuesBlock(scenario: Scenario, markdown: string): Promise<boolean> {
  const begin = `<!-- bench-queues-results ${keyOf(scenario)} -->`;
  const end = `<!-- /bench-queues-results ${keyOf(scenario)} -->`;
  const text = await readFile(BENCHMARKS_FILE, 'utf8');
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from < 0 || to < from) return false;
  await writeFile(BENCHMARKS_FILE, `${text.slice(0, from)}${begin}\n${markdown}\n${text.slice(to)}`);
  return true;
}
