import { describe, expect, it } from 'vitest';
import { generatedTypes, writtenTypes } from './generate-types.ts';

describe('test/contract/api.d.ts', () => {
  it('that the SPA flow was type-checked against is what openapi-typescript generates from the current document (npm test writes it first)', async () => {
    expect(await writtenTypes()).toBe(await generatedTypes());
  });
});
