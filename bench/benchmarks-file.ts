import { readFile, writeFile } from 'node:fs/promises';

export const BENCHMARKS_FILE = new URL('../BENCHMARKS.md', import.meta.url);

/** Replaces this size's section of BENCHMARKS.md (between its markers), or appends it. */
export async function writeSection(file: URL, orders: number, section: string): Promise<void> {
  const begin = `<!-- bench-results orders=${orders} -->`;
  const end = `<!-- /bench-results orders=${orders} -->`;
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
