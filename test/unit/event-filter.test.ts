/**
 * The local stream poller's matcher against Lambda's documented event filtering semantics
 * (Lambda developer guide, "Control which events Lambda sends to your function", filter rule syntax;
 * "Using event filtering with a DynamoDB event source"), on the cases where a hand-written matcher
 * could differ from AWS: type-exact equality, case, missing and null fields, arrays, leaf-only
 * `exists`, `anything-but` on a missing field, DynamoDB's typed images, and operators local mode
 * does not implement (refused, never matched differently).
 */
import { describe, expect, it } from 'vitest';
import { compileFilter } from '#local/event-filter.ts';
import { evaluatorFilterPatterns } from '#domain/messages/stream-filter.ts';
import type { FilterPattern } from '#domain/messages/stream-filter.ts';

const matches = (pattern: FilterPattern, event: unknown): boolean => compileFilter([pattern])(event);

describe('local event filter, as Lambda documents it', () => {
  it('equals is exact: case and type matter, and a number never equals its string', () => {
    expect(matches({ Name: ['Alice'] }, { Name: 'Alice' })).toBe(true);
    expect(matches({ Name: ['Alice'] }, { Name: 'alice' })).toBe(false);
    expect(matches({ Name: [{ 'equals-ignore-case': 'alice' }] }, { Name: 'ALICE' })).toBe(true);
    expect(matches({ Price: [100] }, { Price: '100' })).toBe(false);
    expect(matches({ Price: ['100'] }, { Price: 100 })).toBe(false);
  });

  it('null matches a null field, empty an empty string; neither matches a missing field', () => {
    expect(matches({ UserID: [null] }, { UserID: null })).toBe(true);
    expect(matches({ UserID: [null] }, {})).toBe(false);
    expect(matches({ UserID: [null] }, { UserID: '' })).toBe(false);
    expect(matches({ LastName: [''] }, { LastName: '' })).toBe(true);
    expect(matches({ LastName: [''] }, {})).toBe(false);
  });

  it('fields are ANDed, the values of one field ORed, and fields the pattern does not name are ignored', () => {
    const pattern = { Location: ['New York'], Day: ['Monday', 'Tuesday'] };
    expect(matches(pattern, { Location: 'New York', Day: 'Tuesday', Other: 1 })).toBe(true);
    expect(matches(pattern, { Location: 'New York', Day: 'Friday' })).toBe(false);
    expect(matches(pattern, { Day: 'Monday' })).toBe(false);
  });

  it('an array in the event matches when any of its elements does (a DynamoDB string set)', () => {
    expect(matches({ tags: { SS: ['vip'] } }, { tags: { SS: ['new', 'vip'] } })).toBe(true);
    expect(matches({ tags: { SS: ['vip'] } }, { tags: { SS: ['new'] } })).toBe(false);
  });

  it('prefix and suffix are case-sensitive and match strings only', () => {
    expect(matches({ Region: [{ prefix: 'us-' }] }, { Region: 'us-east-1' })).toBe(true);
    expect(matches({ Region: [{ prefix: 'us-' }] }, { Region: 'US-EAST-1' })).toBe(false);
    expect(matches({ FileName: [{ suffix: '.png' }] }, { FileName: 'a.png' })).toBe(true);
    expect(matches({ FileName: [{ suffix: '.png' }] }, { FileName: 'a.PNG' })).toBe(false);
    expect(matches({ Code: [{ prefix: '1' }] }, { Code: 12 })).toBe(false);
  });

  it('anything-but excludes its values and needs the field to be there', () => {
    const pattern = { Weather: [{ 'anything-but': ['Raining', 'Snowing'] }] };
    expect(matches(pattern, { Weather: 'Sunny' })).toBe(true);
    expect(matches(pattern, { Weather: 'Raining' })).toBe(false);
    expect(matches(pattern, {})).toBe(false);
    expect(matches({ Weather: [{ 'anything-but': 'Raining' }] }, { Weather: 'Sunny' })).toBe(true);
  });

  it('exists works on leaf fields only; exists: false matches a missing field, also below a missing parent', () => {
    expect(matches({ ProductName: [{ exists: true }] }, { ProductName: 'Lamp' })).toBe(true);
    expect(matches({ ProductName: [{ exists: true }] }, {})).toBe(false);
    expect(matches({ ProductName: [{ exists: false }] }, {})).toBe(true);
    expect(matches({ ProductName: [{ exists: false }] }, { ProductName: 'Lamp' })).toBe(false);
    // An object is an intermediate node, not a leaf: exists does not see it.
    expect(matches({ dynamodb: [{ exists: true }] }, { dynamodb: { NewImage: {} } })).toBe(false);
    expect(matches({ dynamodb: { OldImage: { kind: [{ exists: false }] } } }, { dynamodb: { NewImage: {} } })).toBe(true);
  });

  it('matches DynamoDB images by their typed values, nested as dynamodb.NewImage.kind.S', () => {
    const pattern = { dynamodb: { NewImage: { kind: { S: ['booking'] } } } };
    expect(matches(pattern, { dynamodb: { NewImage: { kind: { S: 'booking' } } } })).toBe(true);
    expect(matches(pattern, { dynamodb: { NewImage: { kind: 'booking' } } })).toBe(false);
    expect(matches(pattern, { dynamodb: { OldImage: { kind: { S: 'booking' } } } })).toBe(false);
    expect(matches(pattern, { dynamodb: { NewImage: { kind: { N: '1' } } } })).toBe(false);
  });

  it('refuses what it does not implement (numeric, $or, cidr, wildcard) instead of matching differently', () => {
    expect(() => compileFilter([{ Price: [{ numeric: ['=', 100] } as never] }])).toThrow(/unsupported rule/);
    expect(() => compileFilter([{ Price: [{ numeric: ['>', 0, '<=', 5] } as never] }])).toThrow(/unsupported rule/);
    expect(() => compileFilter([{ $or: [{ a: ['x'] }, { b: ['y'] }] as never }])).toThrow(/unsupported rule/);
    expect(() => compileFilter([{ ip: [{ cidr: '10.0.0.0/24' } as never] }])).toThrow(/unsupported rule/);
    expect(() => compileFilter([{ name: [{ wildcard: 'a*' } as never] }])).toThrow(/unsupported rule/);
  });

  it('ORs its patterns, and accepts the deployed patterns', () => {
    const either = compileFilter([{ a: ['x'] }, { b: ['y'] }]);
    expect(either({ a: 'x' })).toBe(true);
    expect(either({ b: 'y' })).toBe(true);
    expect(either({ a: 'y', b: 'x' })).toBe(false);
    expect(() => compileFilter(evaluatorFilterPatterns)).not.toThrow();
  });
});
