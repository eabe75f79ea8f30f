// docs/article6.md keeps the AEF's field list as the renderer writes it from article6/aef.yaml, and
// lists exactly the codes of the consistency checks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aefCheckCodes } from '../../../src/core/article6/aef-checks.ts';
import {
  aefDocsBegin,
  aefDocsEnd,
  renderAefDescriptionMarkdown,
} from '../../../src/core/article6/aef-markdown.ts';
import { description } from './aef-fixture.ts';

const doc = readFileSync(
  join(import.meta.dirname, '..', '..', '..', 'docs', 'article6.md'),
  'utf8',
);

/** Markdown as Prettier may lay it out: table cells padded, separator rows of any width. */
function normalised(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) => {
      if (!line.startsWith('|')) return line.trimEnd();
      const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
      return cells.map((c) => (/^:?-+:?$/.test(c) ? '---' : c)).join('|');
    })
    .join('\n')
    .trim();
}

describe('docs/article6.md', () => {
  it('has the field list generated from the description (npx tsx scripts/aef-docs.ts)', () => {
    const begin = doc.indexOf(aefDocsBegin);
    const end = doc.indexOf(aefDocsEnd);
    expect(begin).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(begin);
    const section = doc.slice(begin, end + aefDocsEnd.length);
    expect(normalised(section)).toBe(normalised(renderAefDescriptionMarkdown(description)));
  });

  it('lists exactly the codes of the consistency checks, in the order they run', () => {
    const checks = doc.slice(doc.indexOf('## Consistency checks'), doc.indexOf('## The guard'));
    const listed = [...checks.matchAll(/^\|\s*`(aef_[a-z_]+)`\s*\|/gm)].map((m) => m[1]);
    expect(listed).toEqual(Object.keys(aefCheckCodes));
  });

  it('lists every table and column label of the description', () => {
    for (const table of description.tables) {
      expect(doc).toContain(`### ${table.label}`);
      for (const field of table.fields) expect(doc).toContain(field.label.replaceAll('|', '\\|'));
    }
  });
});
