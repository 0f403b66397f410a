import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA_FILE, toConfigJsonSchema } from '../../server/watched-system/json-schema.ts';

describe('recon.schema.json', () => {
  it('is what the zod schema generates (run npm run config-schema after changing it)', () => {
    const committed = JSON.parse(readFileSync(new URL(`../../${CONFIG_SCHEMA_FILE}`, import.meta.url), 'utf8'));
    expect(committed).toEqual(toConfigJsonSchema());
  });

  it("lets editors flag an unknown key and a second flow, as Recon's own check does", () => {
    const schema = toConfigJsonSchema() as { additionalProperties: unknown; properties: Record<string, object> };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.flows).toMatchObject({ minItems: 1, maxItems: 1, items: { additionalProperties: false } });
  });
});
