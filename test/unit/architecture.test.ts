// Style checked by a test (TigerBeetle's tidy): the core stays pure, and docs/errors.md lists exactly
// the error codes the code can answer with.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCodeList } from '../../src/core/shared/error-codes.ts';

const root = join(import.meta.dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('the pure core', () => {
  const coreFiles = files(join(root, 'src', 'core'));

  it('has files to check', () => {
    expect(coreFiles.length).toBeGreaterThan(10);
  });

  it.each(coreFiles.map((f) => [relative(root, f)]))(
    '%s imports only the core and its allowed libraries',
    (file) => {
      const text = readFileSync(join(root, file), 'utf8');
      const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1] ?? '');
      for (const target of imports) {
        const allowed = target.startsWith('.')
          ? !join(file, '..', target).startsWith('..') &&
            join(file, '..', target).startsWith(join('src', 'core'))
          : ['zod', 'decimal.js', 'jsep'].includes(target);
        expect(allowed, `${file} imports ${target}`).toBe(true);
      }
    },
  );

  it.each(coreFiles.map((f) => [relative(root, f)]))(
    '%s uses no ambient time, randomness or float parsing',
    (file) => {
      const text = readFileSync(join(root, file), 'utf8');
      expect(text).not.toMatch(/Date\.now\(|new Date\(|Math\.random\(|parseFloat\(|process\./);
    },
  );
});

describe('docs/errors.md', () => {
  const doc = readFileSync(join(root, 'docs', 'errors.md'), 'utf8');
  const documented = new Set([...doc.matchAll(/^\|\s*`([a-z_]+)`\s*\|/gm)].map((m) => m[1]));

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
    const file = JSON.parse(
      readFileSync(join(root, 'docs', 'methodology.schema.json'), 'utf8'),
    ) as unknown;
    expect(file).toEqual(JSON.parse(JSON.stringify(methodologyJsonSchema())));
  });
});
