import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schemaFiles } from '../../src/scenario/emitSchema.js';

describe('shipped JSON Schema files', () => {
  for (const [name, text] of Object.entries(schemaFiles())) {
    it(`schema/${name} equals the one generated from the zod schemas (npm run schema)`, () => {
      expect(readFileSync(`schema/${name}`, 'utf8')).toBe(text);
    });
  }
  it('describes the actions and expectations', () => {
    const s = JSON.parse(schemaFiles()['scenario.schema.json']!);
    expect(s.properties.timeline.items.anyOf.length).toBeGreaterThanOrEqual(15);
    expect(s.properties.expect.items.anyOf.length).toBe(7);
  });
});
