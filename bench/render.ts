// Renders a finished run's results section into BENCHMARKS.md again from bench/.cache, without measuring.
// Usage: npx tsx bench/render.ts [--orders 1000000]
import { parseArgs } from 'node:util';
import { BENCHMARKS_FILE, writeSection } from './benchmarks-file.ts';
import { toMarkdown } from './report.ts';
import { loadResults } from './results-cache.ts';

const { values } = parseArgs({ options: { orders: { type: 'string', default: '1000000' } } });
const input = await loadResults(Number(values.orders));
await writeSection(BENCHMARKS_FILE, input.orders, toMarkdown(input));
console.log(`rendered the ${input.orders.toLocaleString('en')}-order results into BENCHMARKS.md`);
