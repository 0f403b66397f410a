import { describe, expect, it } from 'vitest';
import { isSameJson } from '../../reconcilers/engine/store-changes.ts';

describe('isSameJson', () => {
  it.each([
    ['key order', { a: 1, b: { c: [1, 'x'] } }, { b: { c: [1, 'x'] }, a: 1 }],
    ['a key whose value is undefined', { a: 1, b: undefined }, { a: 1 }],
    ['equal primitives and null', null, null],
    ['a Date against its ISO text (what the store holds)', { at: new Date(0) }, { at: '1970-01-01T00:00:00.000Z' }],
  ])('treats values differing only in %s as the same', (_, a, b) => {
    expect(isSameJson(a, b)).toBe(true);
    expect(isSameJson(b, a)).toBe(true);
  });

  it.each([
    ['a changed value', { a: 1 }, { a: 2 }],
    ['an extra key', { a: 1 }, { a: 1, b: null }],
    ['array order', { a: [1, 2] }, { a: [2, 1] }],
    ['an array against an object', { a: [] }, { a: {} }],
    ['a number against its text', { a: 1 }, { a: '1' }],
    ['null against an object', null, {}],
    ['two different Dates', { at: new Date(0) }, { at: new Date(1) }],
  ])('tells values apart by %s', (_, a, b) => {
    expect(isSameJson(a, b)).toBe(false);
    expect(isSameJson(b, a)).toBe(false);
  });
});
