import { describe, expect, it } from 'vitest';
import { compareKeys } from '../../reconcilers/engine/full-sweep.ts';

describe('compareKeys (the merge join follows the database order)', () => {
  it('orders integer ids numerically, as a bigint column does', () => {
    expect(['10', '9', '100', '11'].sort(compareKeys)).toEqual(['9', '10', '11', '100']);
  });

  it('orders lowercase uuids like PostgreSQL orders uuid values', () => {
    const ids = [
      'f0000000-0000-4000-8000-000000000000',
      '0a000000-0000-4000-8000-000000000000',
      '9b000000-0000-4000-8000-000000000000',
    ];
    expect([...ids].sort(compareKeys)).toEqual([ids[1], ids[2], ids[0]]);
  });
});
