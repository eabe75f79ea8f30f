// Style and shape checked by a test (TigerBeetle's tidy): the core stays pure; imports point inward
// (core <- db <- services <- api, web, cli <- http <- main.ts, with formats beside db); SQL and
// Kysely stay in src/db; files and functions stay short, with a named allow-list that may only
// shrink; docs/errors.md lists exactly the error codes the code can answer with.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { errorCodeList } from '../../src/core/shared/error-codes.ts';
import { functionsOf, layerImportProblems, type Layers } from '../support/architecture.ts';

const root = join(import.meta.dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}
const sourceFiles = files(join(root, 'src')).map((f) => relative(root, f).split(sep).join('/'));
const read = (file: string) => readFileSync(join(root, file), 'utf8');

/** What each folder of src/ may import besides itself; main.ts, the composition root, anything. */
export const layers: Layers = {
  core: [],
  formats: ['core'],
  db: ['core'],
  services: ['core', 'formats', 'db'],
  api: ['core', 'services'],
  web: ['core', 'services'],
  cli: ['core', 'services'],
  http: ['core', 'services', 'api', 'web'],
};

/** Limits of src/: lines per file and per function (first to last line, nested ones included). */
export const fileLinesMax = 400;
export const functionLinesMax = 80;

/**
 * Files and functions over the limits, each with its reason. The list may only shrink: a test fails
 * when an entry is no longer over its limit, so that it is removed.
 */
export const overLimits: Readonly<Record<string, string>> = {};

describe('the pure core', () => {
  const coreFiles = sourceFiles.filter((f) => f.startsWith('src/core/'));

  it('has files to check', () => {
    expect(coreFiles.length).toBeGreaterThan(10);
  });

  it.each(coreFiles.map((f) => [f]))(
    '%s imports only the core and its allowed libraries',
    (file) => {
      const imports = [...read(file).matchAll(/from '([^']+)'/g)].map((m) => m[1] ?? '');
      for (const target of imports) {
        const allowed = target.startsWith('.')
          ? !join(file, '..', target).startsWith('..') &&
            join(file, '..', target).startsWith(join('src', 'core'))
          : ['zod', 'decimal.js', 'jsep'].includes(target);
        expect(allowed, `${file} imports ${target}`).toBe(true);
      }
    },
  );

  it.each(coreFiles.map((f) => [f]))(
    '%s uses no ambient time, randomness or float parsing',
    (file) => {
      expect(read(file)).not.toMatch(
        /Date\.now\(|new Date\(|Math\.random\(|parseFloat\(|process\./,
      );
    },
  );
});

describe('the folders of src/', () => {
  it('import only inward', () => {
    const problems = sourceFiles.flatMap((file) => layerImportProblems(file, read(file), layers));
    expect(problems).toEqual([]);
  });

  it('keep Kysely and SQL in src/db', () => {
    const outside = sourceFiles.filter((f) => !f.startsWith('src/db/'));
    const problems = outside.flatMap((file) => {
      const text = read(file);
      return [
        ...(/from 'kysely(\/[^']*)?'/.test(text) ? [`${file} imports kysely`] : []),
        ...[...text.matchAll(/\.(selectFrom|insertInto|updateTable|deleteFrom)\(|\bsql`/g)].map(
          (m) => `${file} builds SQL (${m[0]})`,
        ),
      ];
    });
    expect(problems).toEqual([]);
  });

  it('give the platform no database handle and routes a typed actor', () => {
    const platform = read('src/services/platform.ts');
    const declaration = /export interface Platform\b[^{]*\{([\s\S]*?)\n\}/.exec(platform)?.[1];
    expect(declaration, 'the Platform interface').toBeDefined();
    expect(declaration).not.toMatch(/:\s*(Db|Kysely|Tx)\b/);
    const untyped = sourceFiles.filter((f) => /'actor' as never/.test(read(f)));
    expect(untyped).toEqual([]);
  });
});

describe('lengths in src/', () => {
  const measured = sourceFiles.flatMap((file) => {
    const text = read(file);
    const lines = text.split('\n').length;
    const functions = functionsOf(ts, file, text).filter((f) => f.lines > functionLinesMax);
    return [
      ...(lines > fileLinesMax ? [{ name: file, lines, max: fileLinesMax }] : []),
      ...functions.map((f) => ({
        name: `${file}#${f.name}`,
        lines: f.lines,
        max: functionLinesMax,
      })),
    ];
  });

  it(`keeps files to ${fileLinesMax} lines and functions to ${functionLinesMax}, but for the allow-list`, () => {
    expect(measured.filter((m) => overLimits[m.name] === undefined)).toEqual([]);
  });

  it('has an allow-list that names only what is still over its limit', () => {
    const over = new Set(measured.map((m) => m.name));
    expect(Object.keys(overLimits).filter((name) => !over.has(name))).toEqual([]);
  });
});

describe('docs/errors.md', () => {
  const doc = read('docs/errors.md');
  const documented = new Set([...doc.matchAll(/^\|\s*`([a-z0-9_]+)`\s*\|/gm)].map((m) => m[1]));

  it('documents every code the code uses', () => {
    expect(errorCodeList.filter((code) => !documented.has(code))).toEqual([]);
  });

  it('documents no code the code does not use', () => {
    expect([...documented].filter((code) => !errorCodeList.includes(code as never))).toEqual([]);
  });
});

describe('docs/methodology.schema.json', () => {
  it('is the JSON Schema of the methodology format (npx tsx scripts/methodology-schema.ts)', async () => {
    const { methodologyJsonSchema } = await import('../../src/core/methodology/format.ts');
    const file = JSON.parse(read('docs/methodology.schema.json')) as unknown;
    expect(file).toEqual(JSON.parse(JSON.stringify(methodologyJsonSchema())));
  });
});
