// Problems with the watched-system file are collected, never thrown one at a time: an operator fixing a file at
// start wants every mistake in one run, each at its exact path (`flows[0].order.updatedAt`).

export interface ConfigIssue {
  /** Where in the file, e.g. `flows[0].order.updatedAt`; empty for the file as a whole. */
  path: string;
  message: string;
}

export class WatchedSystemError extends Error {
  readonly issues: ConfigIssue[];
  /** The file's path, or 'defaults' / 'RECON_MAPPING'. */
  readonly origin: string;

  constructor(origin: string, issues: ConfigIssue[], options?: { cause?: unknown }) {
    const lines = issues.map((issue) => `  ${issue.path ? `${issue.path}: ` : ''}${issue.message}`);
    const count = issues.length === 1 ? 'a problem' : `${issues.length} problems`;
    super(`${origin}: ${count} with the watched system:\n${lines.join('\n')}`, options);
    this.issues = issues;
    this.origin = origin;
  }
}

/** Collects issues while a file is read, so every problem is reported at once. */
export class IssueList {
  readonly items: ConfigIssue[] = [];

  add(path: string, message: string): void {
    this.items.push({ path, message });
  }

  throwIfAny(origin: string): void {
    if (this.items.length > 0) throw new WatchedSystemError(origin, this.items);
  }
}

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** `flows[0].order.id`; a key that is not a plain word is quoted (`columns["Order No"]`). */
export function formatPath(steps: ReadonlyArray<PropertyKey>): string {
  let text = '';
  for (const step of steps) {
    if (typeof step === 'number') text += `[${step}]`;
    else if (typeof step === 'string' && PLAIN_KEY.test(step)) text += text ? `.${step}` : step;
    else text += `[${JSON.stringify(String(step))}]`;
  }
  return text;
}

/** One step deeper: `child('flows[0]', 'order')` → `flows[0].order`. */
export function child(path: string, key: string): string {
  const step = formatPath([key]);
  return path && !step.startsWith('[') ? `${path}.${step}` : `${path}${step}`;
}
