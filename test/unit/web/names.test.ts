// The pages' names for country codes and sectoral scopes agree with the reference files they copy.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { countryNames, scopeNames } from '../../../src/web/names.ts';

const csv = (file: string) =>
  parse(readFileSync(`data/${file}`, 'utf8'), { columns: true }) as Record<string, string>[];

describe('names shown for codes', () => {
  it('name every partner country as data/partner_countries.csv does, and Japan', () => {
    const expected = Object.fromEntries(
      csv('partner_countries.csv').map((r) => [r['iso_alpha2'], r['country']]),
    );
    expect(countryNames).toEqual({ JP: 'Japan', ...expected });
  });
  it('name every sectoral scope as data/sectoral_scopes.csv does', () => {
    const expected = Object.fromEntries(
      csv('sectoral_scopes.csv').map((r) => [Number(r['number']), r['scope']]),
    );
    expect(scopeNames).toEqual(expected);
  });
});
