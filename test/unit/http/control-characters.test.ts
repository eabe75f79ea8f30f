// The edge's one rule for text: control characters other than tab, CR and LF are refused, in any
// string or key of a JSON value at any depth.
import { describe, expect, it } from 'vitest';
import {
  controlCharacterIn,
  hasControlCharacter,
} from '../../../src/core/shared/control-characters.ts';

describe('control characters', () => {
  it.each([
    ['\u0000', true],
    ['a\u0001b', true],
    ['\u0008', true],
    ['\u000B', true],
    ['\u000C', true],
    ['\u001B[31m', true],
    ['\u001F', true],
    ['\u007F', true],
    ['\u0080', true],
    ['\u0085', true],
    ['\u009F', true],
    ['tab\there', false],
    ['lines\r\nhere\n', false],
    ['\u00A0 non-breaking space', false],
    ['日本語の報告書', false],
    ['', false],
  ])('%j refused: %s', (text, refused) => {
    expect(hasControlCharacter(text)).toBe(refused);
  });

  it('finds them in values and keys at any depth, and names where', () => {
    expect(controlCharacterIn('\u0000')).toBe('(body)');
    expect(controlCharacterIn({ a: 'ok', b: [1, true, null, { c: 'x\u0000' }] })).toBe('b.3.c');
    expect(controlCharacterIn({ a: { 'k\u0000': 1 } })).toBe('a.k\uFFFD');
    expect(controlCharacterIn({ a: 'ok\t', b: ['\r\n'], c: 12 })).toBeNull();
  });

  it('walks nesting deeper than the call stack allows', () => {
    const depth = 200_000;
    const deep = JSON.parse(`${'['.repeat(depth)}"\\u0000"${']'.repeat(depth)}`) as unknown;
    expect(controlCharacterIn(deep)).toMatch(/^0(\.0)+$/);
  });
});
