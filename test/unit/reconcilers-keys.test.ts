import { describe, expect, it } from 'vitest';
import { canonicalKey, compareKeysAs, keyProblem } from '../../reconcilers/keys.ts';

describe('the key order (the merge join follows the order the adapters stream keys in)', () => {
  it('orders integer ids numerically, as a bigint column does, negatives first', () => {
    expect(['10', '9', '100', '11', '-2', '-10', '0'].sort(compareKeysAs('integer'))).toEqual([
      '-10',
      '-2',
      '0',
      '9',
      '10',
      '11',
      '100',
    ]);
  });

  it('orders lowercase uuids like PostgreSQL orders uuid values', () => {
    const ids = [
      'f0000000-0000-4000-8000-000000000000',
      '0a000000-0000-4000-8000-000000000000',
      '9b000000-0000-4000-8000-000000000000',
    ];
    expect([...ids].sort(compareKeysAs('uuid'))).toEqual([ids[1], ids[2], ids[0]]);
  });

  it('orders text keys byte by byte, as COLLATE "C" does, whatever they look like', () => {
    expect(['b', 'A-2', '10', '9', 'a', 'é', 'z'].sort(compareKeysAs('text'))).toEqual([
      '10',
      '9',
      'A-2',
      'a',
      'b',
      'z',
      'é',
    ]);
  });

  it('orders a character above U+FFFF after U+E000–U+FFFF, as UTF-8 bytes do (JS string order does not)', () => {
    expect(['k-😀', 'k-\uFFFD', 'k-a'].sort(compareKeysAs('text'))).toEqual(['k-a', 'k-\uFFFD', 'k-😀']);
  });
});

describe('a reference that cannot be a key', () => {
  it.each([
    ['TEST-1', 'integer'],
    ['011', 'integer'],
    ['+5', 'integer'],
    ['99999999999999999999', 'integer'],
    ['ABCDEF00-0000-4000-8000-000000000000', 'uuid'],
    ['order-9', 'uuid'],
    ['', 'text'],
  ] as const)('%j is not a %s key', (text, family) => {
    expect(keyProblem(text, family)).not.toBeNull();
  });

  it.each([
    ['11', 'integer'],
    ['-3', 'integer'],
    ['9223372036854775807', 'integer'],
    ['abcdef00-0000-4000-8000-000000000000', 'uuid'],
    ['TEST-1', 'text'],
  ] as const)('%j is a %s key', (text, family) => {
    expect(keyProblem(text, family)).toBeNull();
  });
});

describe('a key as someone typed it', () => {
  it.each([
    ['uuid', '8C1F2A3B-0D4E-4F50-8A6B-7C8D9E0F1A2B', '8c1f2a3b-0d4e-4f50-8a6b-7c8d9e0f1a2b'],
    ['integer', '0042', '42'],
    ['integer', '+7', '7'],
    ['integer', '-0', '0'],
    ['integer', 'TEST-1', 'TEST-1'],
    ['text', ' A-1', ' A-1'],
  ] as const)('reads a %s key %j as %j', (family, typed, key) => {
    expect(canonicalKey(typed, family)).toBe(key);
  });

  it('leaves a number beyond bigint as typed, for keyProblem to refuse', () => {
    const key = canonicalKey('99999999999999999999', 'integer');
    expect(keyProblem(key, 'integer')).toMatch(/outside the bigint range/);
  });
});
