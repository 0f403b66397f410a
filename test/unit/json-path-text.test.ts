import { describe, expect, it } from 'vitest';
import { parseJsonPath } from '../../server/watched-system/json-path.ts';
import { readJsonPathText } from '../../server/watched-system/json-path-text.ts';

const at = (text: string, path: string) => readJsonPathText(text, parseJsonPath(path));

describe('the JSON text at a path, as written', () => {
  it('keeps a 19-digit integer and a decimal exactly as the library wrote them', () => {
    const content = '{"Headers":{"cap-msg-id":"1"},"Value":{"OrderNo":1790000000004111297,"Total":12.50}}';
    expect(at(content, '$.Value')).toBe('{"OrderNo":1790000000004111297,"Total":12.50}');
    expect(at(content, '$.Value.OrderNo')).toBe('1790000000004111297');
    expect(at(content, '$.Headers."cap-msg-id"')).toBe('"1"');
  });

  it('walks past strings holding brackets, quotes and commas, and through arrays', () => {
    const text = ' { "a" : "x}]\\",{" , "b" : [ 1 , {"c":[true,null]} , "d" ] } ';
    expect(at(text, '$.b[1].c')).toBe('[true,null]');
    expect(at(text, '$.b[2]')).toBe('"d"');
    expect(at(text, '$.a')).toBe('"x}]\\",{"');
  });

  it('reads the last of a member written twice, as JSON.parse does', () => {
    expect(at('{"a":1,"a":{"b":2}}', '$.a')).toBe('{"b":2}');
  });

  it('is undefined for a missing step, a step into a scalar, or text that is not JSON', () => {
    expect(at('{"a":[1]}', '$.b')).toBeUndefined();
    expect(at('{"a":[1]}', '$.a[1]')).toBeUndefined();
    expect(at('{"a":1}', '$.a.b')).toBeUndefined();
    expect(at('{"a":', '$.a')).toBeUndefined();
    expect(at('{"__proto__":{"x":1}}', '$.constructor')).toBeUndefined();
  });
});
