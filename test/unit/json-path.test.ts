import { describe, expect, it } from 'vitest';
import {
  JsonPathError,
  parseJsonKeepingIntegers,
  parseJsonPath,
  readJsonPath,
  toKeyText,
} from '../../server/watched-system/json-path.ts';

describe('JSON paths of the watched-system file', () => {
  it('reads member, quoted-member and index steps', () => {
    const body = { Headers: { 'cap-msg-id': '77' }, message: { lines: [{ sku: 'a' }] } };
    expect(readJsonPath(body, parseJsonPath('$.Headers."cap-msg-id"'))).toBe('77');
    expect(readJsonPath(body, parseJsonPath('$.message.lines[0].sku'))).toBe('a');
    expect(readJsonPath(body, parseJsonPath('$.message.missing.sku'))).toBeUndefined();
  });

  it('never walks a prototype for a key someone else wrote', () => {
    expect(readJsonPath({}, parseJsonPath('$.constructor'))).toBeUndefined();
    expect(readJsonPath(JSON.parse('{"__proto__": {"x": 1}}'), parseJsonPath('$."__proto__".x'))).toBe(1);
  });

  it.each(['orderId', '$', '$.', '$.a..b', '$[x]', '$.a b'])('refuses %j, saying why', (path) => {
    expect(() => parseJsonPath(path)).toThrow(JsonPathError);
  });

  it('keeps a 19-digit integer exact, as text, wherever it is', () => {
    const text =
      '{"Value":{"OrderNo":1234567890123456789,"Qty":3,"Note":"id 1234567890123456789"},"n":-98765432109876543}';
    const parsed = parseJsonKeepingIntegers(text);
    expect(readJsonPath(parsed, parseJsonPath('$.Value.OrderNo'))).toBe('1234567890123456789');
    expect(readJsonPath(parsed, parseJsonPath('$.Value.Qty'))).toBe(3);
    expect(readJsonPath(parsed, parseJsonPath('$.Value.Note'))).toBe('id 1234567890123456789');
    expect(readJsonPath(parsed, parseJsonPath('$.n'))).toBe('-98765432109876543');
    expect(() => parseJsonKeepingIntegers('{"a":')).toThrow(SyntaxError);
    expect(() => parseJsonKeepingIntegers('{1234567890123456789:1}')).toThrow(SyntaxError);
    expect(() => parseJsonKeepingIntegers('[01234567890123456789]')).toThrow(SyntaxError);
  });

  it('turns a key read from JSON into text, and nothing else into a key', () => {
    expect([toKeyText('A-1'), toKeyText(42), toKeyText(1.5), toKeyText(''), toKeyText(null)]).toEqual([
      'A-1',
      '42',
      null,
      null,
      null,
    ]);
  });
});
