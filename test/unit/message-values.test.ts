import { describe, expect, it } from 'vitest';
import { toMessageJson } from '../../server/adapters/flow/message-values.ts';
import type { ColumnFamily, ColumnInfo } from '../../server/adapters/sql/catalog.ts';

const column = (family: ColumnFamily): ColumnInfo => ({ name: 'c', family, sqlType: family, isByteOrdered: true });

describe('a column value in a message Recon builds', () => {
  it.each([
    ['integer', '1753498113429504001', '1753498113429504001'],
    ['decimal', '12.50', '12.50'],
    ['decimal', 1.5, '1.5'],
    ['decimal', '-0.0001', '-0.0001'],
    ['decimal', 'NaN', '"NaN"'],
    ['decimal', 'Infinity', '"Infinity"'],
    ['text', '12.50', '"12.50"'],
    ['json', { a: 1 }, '{"a":1}'],
  ] as const)('writes a %s %j as %s', (family, value, json) => {
    expect(toMessageJson(value, column(family))).toBe(json);
  });
});
