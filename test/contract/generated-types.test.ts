import { describe, expect, it } from 'vitest';
import { committedTypes, generatedTypes } from './generate-types.ts';

describe('test/contract/api.d.ts', () => {
  it('is what openapi-typescript generates from the current document (regenerate: node test/contract/generate-types.ts --write)', async () => {
    expect(await committedTypes()).toBe(await generatedTypes());
  });
});
