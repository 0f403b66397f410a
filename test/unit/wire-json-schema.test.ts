import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toWireJsonSchema, WIRE_SCHEMA_FILE } from '../../scripts/wire-json-schema.ts';

describe('server/http/wire.schema.json', () => {
  it('is what the wire types generate (run npm run wire-schema after changing server/http/wire.ts)', () => {
    const committed = JSON.parse(readFileSync(new URL(`../../${WIRE_SCHEMA_FILE}`, import.meta.url), 'utf8'));
    expect(committed).toEqual(toWireJsonSchema());
  });

  it('names each finding kind, which the registry derives from the kinds themselves', () => {
    const { definitions } = toWireJsonSchema() as { definitions: Record<string, { anyOf?: unknown[] }> };
    expect(definitions.Finding?.anyOf?.length).toBeGreaterThan(1);
    expect(JSON.stringify(definitions.Finding)).toContain('"const":"order-without-dispatch"');
  });
});
