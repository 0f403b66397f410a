import type { z } from 'zod';
import { type ConfigIssue, formatPath } from './issues.ts';
import { unknownKeyMessage } from './nearest-key.ts';

// zod's issues in the words of someone editing a YAML file: one issue per unknown key, at that key's path, with
// the key it was probably meant to be; "required" for a missing key; "expected a list, got text" for a wrong type.

const WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  record: 'a mapping',
  null: 'null',
};

/** Pass as `safeParse(input, { error: fileErrorMap })`; zod's own words stay for everything else. */
export const fileErrorMap: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type') {
    const expected = WORDS[issue.expected] ?? issue.expected;
    return issue.input === undefined
      ? `required (expected ${expected})`
      : `expected ${expected}, got ${kindOf(issue.input)}`;
  }
  if (issue.code === 'invalid_value') return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  if (issue.code === 'invalid_union') return unionMessage(issue.errors, issue.input);
  return undefined;
};

export function toConfigIssues(issues: readonly z.core.$ZodIssue[], schema: z.core.$ZodType): ConfigIssue[] {
  const unknownKeyPaths = new Set(
    issues.filter((issue) => issue.code === 'unrecognized_keys').map((issue) => formatPath(issue.path)),
  );
  return issues.flatMap((issue): ConfigIssue[] => {
    const path = formatPath(issue.path);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownKeysAt(schema, issue.path);
        return issue.keys.map((key) => ({
          path: formatPath([...issue.path, key]),
          message: unknownKeyMessage(key, known),
        }));
      }
      case 'invalid_key':
        return [{ path, message: `this key ${issue.issues[0]?.message ?? 'is not allowed'}` }];
      case 'custom':
        // An object with an unknown key fails its own shape check too; the unknown key is the one to report.
        return unknownKeyPaths.has(path) ? [] : [{ path, message: issue.message }];
      default:
        return [{ path, message: issue.message }];
    }
  });
}

/** `expected text or a number, got a list` when every branch wanted another type; else the nearest branch's word. */
function unionMessage(branches: readonly (readonly z.core.$ZodIssue[])[], input: unknown): string {
  const wanted = branches.map((branch) =>
    branch.length === 1 && branch[0]?.code === 'invalid_type' ? branch[0].expected : null,
  );
  if (wanted.every((type) => type !== null))
    return `expected ${wanted.map((type) => WORDS[type] ?? type).join(' or ')}, got ${kindOf(input)}`;
  const nearest = branches.reduce((best, branch) => (branch.length < best.length ? branch : best));
  return nearest.map((issue) => `${formatPath(issue.path) || 'value'}: ${issue.message}`).join('; ');
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'text';
  return WORDS[typeof value] ?? typeof value;
}

interface Def {
  type: string;
  shape?: Record<string, z.core.$ZodType>;
  element?: z.core.$ZodType;
  valueType?: z.core.$ZodType;
  innerType?: z.core.$ZodType;
  options?: z.core.$ZodType[];
}

const defOf = (node: z.core.$ZodType) => node._zod.def as unknown as Def;

/** The keys the schema allows at `path` (an object's shape), to suggest the one a misspelt key meant. */
function knownKeysAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
  let node: z.core.$ZodType | undefined = schema;
  for (const step of path) {
    const container: Def | undefined = node && defOf(unwrap(node, typeof step === 'number' ? 'array' : 'container'));
    node = typeof step === 'number' ? container?.element : (container?.shape?.[String(step)] ?? container?.valueType);
  }
  const target = node && defOf(unwrap(node, 'container'));
  return Object.keys(target?.shape ?? {});
}

/** Through optional, nullable and the like; into the union branch that can hold the next step. */
function unwrap(node: z.core.$ZodType, want: 'array' | 'container'): z.core.$ZodType {
  const def = defOf(node);
  if (def.innerType) return unwrap(def.innerType, want);
  if (def.type === 'union') {
    const fits = (option: z.core.$ZodType) => {
      const type = defOf(unwrap(option, want)).type;
      return want === 'array' ? type === 'array' : type === 'object' || type === 'record';
    };
    const option = def.options?.find(fits);
    return option ? unwrap(option, want) : node;
  }
  return node;
}
