// Renders a finished run's results block into BENCHMARKS.md again from bench/.cache, without measuring.
// Usage: npx tsx bench/queues/render.ts [--queues 5000] [--consumers 0]
import { parseArgs } from 'node:util';
import { toQueuesMarkdown } from './report.ts';
import { loadQueuesResults, writeQueuesBlock } from './results-file.ts';

const { values } = parseArgs({
  options: { queues: { type: 'string', default: '5000' }, consumers: { type: 'string', default: '0' } },
});
const scenario = { queues: Number(values.queues), extraConsumers: Number(values.consumers) };
const markdown = toQueuesMarkdown(await loadQueuesResults(scenario));
const isWritten = await writeQueuesBlock(scenario, markdown);
console.log(isWritten ? markdown : `${markdown}\n\n(BENCHMARKS.md has no block for this scenario: printed only)`);
