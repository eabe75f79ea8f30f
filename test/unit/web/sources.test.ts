// Sources a person can find (issue 13, item 6): what the platform shows cites documents by title,
// publisher, date and page or slide; the files they were read from are named only in data/README.md.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceSources } from '../../../src/core/shared/sources.ts';

const fileName = /seed \d|_[0-9a-f]{16}\.txt/;

function files(dir: string, ending: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(ending))
    .map((f) => join(dir, f));
}

/** Lines that are not comments: what reaches a page, a workbook or an answer. */
function shownLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => !/^\s*(#|\/\/|\*|\/\*)/.test(l));
}

describe('sources', () => {
  it('name no seed file in the code, the methodologies or the rulebooks', () => {
    const offending = [
      ...files('src', '.ts'),
      ...files('methodologies', '.yaml'),
      ...files('rulebooks', '.yaml'),
    ].flatMap((f) =>
      shownLines(f)
        .filter((l) => fileName.test(l))
        .map((l) => `${f}: ${l.trim()}`),
    );
    expect(offending).toEqual([]);
  });

  it('cite every reference table by title, publisher, date and slide or section', () => {
    for (const source of Object.values(referenceSources)) {
      expect(source).toMatch(/^"[^"]+", .+, [^,]*\d{4}, (slide|section|Appendix|appendix) /);
      expect(source).not.toMatch(fileName);
    }
    expect(referenceSources.financedProjects2019).toContain(
      '"Article 6 of the Paris Agreement: Drawing Lessons from the Joint Crediting Mechanism", Asian Development Bank',
    );
  });
});
