import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { describeFeatures } from './features.ts';
import { type WatchedSystemFile, watchedSystemFileSchema } from './file-schema.ts';
import { interpolate } from './interpolate.ts';
import { IssueList, WatchedSystemError } from './issues.ts';
import type { FeatureNote, WatchedSystem } from './model.ts';
import { flowFromReconMapping } from './recon-mapping.ts';
import { ENV_PATHS, REFERENCE_WATCHED_QUEUES, referenceFile } from './reference-system.ts';
import { resolveFlow } from './resolve-flow.ts';
import { fileErrorMap, toConfigIssues } from './zod-issues.ts';

// Where the watched system comes from: the file RECON_CONFIG names, else ./recon.yaml, else the reference system
// from the environment (with the deprecated RECON_MAPPING). With a file, the environment is read only through
// `${VAR}` in it: what Recon watches is then all in one place. Every problem is reported at once, at its path.

export const DEFAULT_CONFIG_PATH = './recon.yaml';

/** Pure apart from `readFile`, which returns undefined for a file that does not exist. Throws WatchedSystemError. */
export function loadWatchedSystem(
  env: Record<string, string | undefined>,
  readFile: (path: string) => string | undefined,
): WatchedSystem {
  const configPath = env.RECON_CONFIG || undefined;
  const path = configPath ?? DEFAULT_CONFIG_PATH;
  let text: string | undefined;
  try {
    text = readFile(path);
  } catch (error) {
    throw new WatchedSystemError(path, [{ path: '', message: `cannot be read: ${(error as Error).message}` }], {
      cause: error,
    });
  }
  if (text !== undefined) return fromFile(path, text, env);
  if (configPath !== undefined)
    throw new WatchedSystemError(configPath, [
      { path: '', message: `RECON_CONFIG names ${configPath}, which does not exist` },
    ]);
  return fromEnvironment(env);
}

/** The `readFile` for loadWatchedSystem: a file's text, or undefined when there is no such file. */
export function readFileIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function fromFile(origin: string, text: string, env: Record<string, string | undefined>): WatchedSystem {
  const issues = new IssueList();
  if (env.RECON_MAPPING?.trim())
    issues.add('RECON_MAPPING', `is set, and ${origin} describes the watched system: move what it says into the file`);
  const document = parseDocument(text);
  for (const error of document.errors) issues.add('', `YAML: ${error.message.split('\n')[0]}`);
  issues.throwIfAny(origin);
  const interpolated = interpolate(document.toJS({ maxAliasCount: 100 }), env, issues);
  // A value whose variable is missing would fail its own check too: the missing variable is the one to report.
  const interpolationPaths = new Set(issues.items.map((issue) => issue.path));
  const parsed = watchedSystemFileSchema.safeParse(interpolated, { error: fileErrorMap });
  if (!parsed.success)
    for (const issue of toConfigIssues(parsed.error.issues, watchedSystemFileSchema))
      if (!interpolationPaths.has(issue.path)) issues.add(issue.path, issue.message);
  issues.throwIfAny(origin);
  return resolve(parsed.data!, origin, issues, []);
}

function fromEnvironment(env: Record<string, string | undefined>): WatchedSystem {
  const issues = new IssueList();
  const file = referenceFile(env);
  const hasMapping = Boolean(env.RECON_MAPPING?.trim());
  const origin = hasMapping ? 'RECON_MAPPING' : 'defaults';
  const mapping = hasMapping ? flowFromReconMapping(env.RECON_MAPPING ?? '', issues) : null;
  if (mapping !== null) file.flows = [{ ...mapping.flow, deadLetterQueues: file.flows[0]?.deadLetterQueues }];
  const parsed = watchedSystemFileSchema.safeParse(file, { error: fileErrorMap });
  // Without a file, a bad value is an environment variable's: name it, not the path it would have in a file.
  for (const issue of parsed.success ? [] : toConfigIssues(parsed.error.issues, watchedSystemFileSchema)) {
    const variable = ENV_PATHS.find(([path]) => issue.path.startsWith(path))?.[1];
    issues.add(variable ?? issue.path, issue.message);
  }
  issues.throwIfAny(origin);
  return resolve(file, origin, issues, mapping === null ? [] : [mapping.note]);
}

function resolve(file: WatchedSystemFile, origin: string, issues: IssueList, notes: FeatureNote[]): WatchedSystem {
  const databases = Object.fromEntries(
    Object.entries(file.databases).map(([name, database]) => [
      name,
      { url: database.url, timeZone: database.timeZone ?? 'UTC' },
    ]),
  );
  const flowFile = file.flows[0] ?? {};
  const flow = resolveFlow(flowFile, 'flows[0]', Object.keys(databases), issues);
  issues.throwIfAny(origin);
  // Without a list, the reference system's queues (a file written for the demo keeps its broker checks; a queue the
  // broker does not hold is simply absent from a poll) and this flow's own dead-letter queues.
  const ownQueues = flow.deadLetterQueues.map((queue) => queue.queue);
  const watchedQueues = file.broker.watchedQueues ?? [...new Set([...REFERENCE_WATCHED_QUEUES, ...ownQueues])];
  const broker = { ...file.broker, watchedQueues };
  const queuesNote = file.broker.watchedQueues === undefined ? [unlistedQueuesNote(watchedQueues)] : [];
  const features = [...notes, ...queuesNote, ...describeFeatures({ databases, flow })];
  // A copy: presets' and the reference system's values must never be shared with a caller that might change them.
  return structuredClone({ databases, broker, flow, features, origin });
}

/** What a file without `broker.watchedQueues` watches, said at start and on /api/sources. */
function unlistedQueuesNote(queues: string[]): FeatureNote {
  return {
    feature: 'watched-queues',
    isOn: true,
    detail: `broker.watchedQueues is not set: watching the reference system's queues and the dead-letter queues (${queues.join(', ')}); list your consumers' queues there to see their depth and unacked-stuck`,
  };
}
