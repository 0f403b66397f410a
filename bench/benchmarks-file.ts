import { readFile, writeFile } from 'node:fs/promises';

export const BENCHMARKS_FILE = new URL('../BENCHMARKS.md', import.meta.url);

/**
 * Replaces a run's section of BENCHMARKS.md (between its markers), or appends it. `run` names it: a number is the
 * main benchmark's size (`orders=N`), a string any other run's own name.
 */
export async function writeSection(file: URL, run: number | string, section: string): Promise<void> {
  const name = typeof run === 'number' ? `orders=${run}` : run;
  const begin = `<!-- bench-results ${name} -->`;
  const end = `<!-- /bench-results ${name} -->`;
  const block = `${begin}\n${section}\n${end}`;
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch {
    text = '# Benchmarks\n';
  }
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  const next =
    from >= 0 && to > from
      ? text.slice(0, from) + block + text.slice(to + end.length)
      : `${text.trimEnd()}\n\n${block}\n`;
  await writeFile(file, next);
}
