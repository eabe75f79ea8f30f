// Writes the generated section of docs/article6.md (the AEF's fields) from article6/aef.yaml, in place
// between its markers: npx tsx scripts/aef-docs.ts
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  aefDocsBegin,
  aefDocsEnd,
  renderAefDescriptionMarkdown,
} from '../src/core/article6/aef-markdown.ts';
import { loadAefDescription } from '../src/formats/aef-description-file.ts';

const path = join(import.meta.dirname, '..', 'docs', 'article6.md');
const doc = await readFile(path, 'utf8');
const begin = doc.indexOf(aefDocsBegin);
const end = doc.indexOf(aefDocsEnd);
if (begin < 0 || end < begin) throw new Error(`${path} has no generated section to replace`);
const generated = renderAefDescriptionMarkdown(await loadAefDescription());
await writeFile(path, doc.slice(0, begin) + generated + doc.slice(end + aefDocsEnd.length + 1));
