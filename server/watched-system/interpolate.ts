import { child, type IssueList } from './issues.ts';

// `${VAR}` in any string of the file is replaced from the environment before the file is validated, so secrets
// (database passwords) stay in the environment and a URL is checked as the URL it will be. A missing variable is an
// error naming it and the path, never an empty string: `postgres://${USER}@db` must not quietly become `postgres://@db`.

const REFERENCE = /\$\{([^}]*)\}/g;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A copy of `value` with every `${VAR}` in its strings replaced; problems go to `issues`. */
export function interpolate(
  value: unknown,
  env: Record<string, string | undefined>,
  issues: IssueList,
  path = '',
): unknown {
  if (typeof value === 'string') return interpolateText(value, env, issues, path);
  if (Array.isArray(value)) return value.map((item, index) => interpolate(item, env, issues, `${path}[${index}]`));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolate(item, env, issues, child(path, key))]),
    );
  return value;
}

function interpolateText(text: string, env: Record<string, string | undefined>, issues: IssueList, path: string) {
  return text.replace(REFERENCE, (reference, name: string) => {
    if (!VARIABLE_NAME.test(name)) {
      issues.add(path, `${reference} is not a variable (write \${NAME}: letters, digits and _)`);
      return reference;
    }
    const replacement = env[name];
    if (replacement === undefined) {
      issues.add(path, `${reference} is not set`);
      return reference;
    }
    return replacement;
  });
}
