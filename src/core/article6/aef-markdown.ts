// The AEF description rendered as Markdown for docs/article6.md: per table, each column with its label,
// key, type, when it must be filled and its values, then the notes. The section of the document
// between the markers is this output; a unit test fails when the two differ.
import type {
  AefCondition,
  AefDescription,
  AefFieldDescription,
  AefTableDescription,
} from './aef-description.ts';

export const aefDocsBegin =
  '<!-- begin generated: AEF fields (npx tsx scripts/aef-docs.ts; do not edit by hand) -->';
export const aefDocsEnd = '<!-- end generated: AEF fields -->';

export function renderAefDescriptionMarkdown(d: AefDescription): string {
  const s = d.source;
  const lines = [
    aefDocsBegin,
    '',
    `AEF version \`${d.version}\`: ${d.title}.`,
    '',
    `Source: ${s.title}. ${s.publisher}, ${s.date}. Where: ${s.locator}.`,
    ...(s.note === undefined ? [] : ['', `Note on the source: ${s.note}`]),
    '',
    `Dates are written ${d.date_format}; a column that holds several values joins them with "${d.list_separator}".`,
    ...d.tables.flatMap((t) => renderTable(t)),
    '',
    aefDocsEnd,
  ];
  return `${lines.join('\n')}\n`;
}

function renderTable(t: AefTableDescription): string[] {
  const notes = t.fields.filter((f) => f.note !== undefined);
  return [
    '',
    `### ${t.label}`,
    '',
    `Key \`${t.key}\`; worksheet "${t.sheet}".${t.note === undefined ? '' : ` ${t.note}`}`,
    '',
    '| Column | Key | Type | Filled | Values |',
    '| --- | --- | --- | --- | --- |',
    ...t.fields.map(
      (f) =>
        `| ${cell(f.label)} | \`${f.key}\` | ${cell(typeText(f))} | ${cell(presenceText(f, t))} | ${cell(valuesText(f))} |`,
    ),
    ...(notes.length === 0 ? [] : ['', ...notes.map((f) => `- \`${f.key}\`: ${f.note ?? ''}`)]),
  ];
}

function typeText(f: AefFieldDescription): string {
  const list = f.multiple === true ? ', several' : '';
  return f.pattern === undefined ? `${f.type}${list}` : `${f.type}${list}, \`${f.pattern}\``;
}

function presenceText(f: AefFieldDescription, t: AefTableDescription): string {
  if (f.filled_by === 'unfccc') return 'by the UNFCCC; the Party leaves it blank';
  if (f.presence === 'conditional' && f.when !== undefined)
    return `required when ${conditionText(f.when, t)}`;
  return f.presence;
}

function conditionText(c: AefCondition, t: AefTableDescription): string {
  if ('all' in c) return c.all.map((x) => conditionText(x, t)).join(' and ');
  if ('any' in c) return c.any.map((x) => conditionText(x, t)).join(', or ');
  const field = t.fields.find((f) => f.key === c.field);
  const labels = c.in.map((code) => field?.values?.find((v) => v.code === code)?.label ?? code);
  const listed =
    labels.length === 1 ? labels[0] : `${labels.slice(0, -1).join(', ')} or ${labels.at(-1) ?? ''}`;
  return `"${field?.label ?? c.field}" is ${listed}`;
}

function valuesText(f: AefFieldDescription): string {
  return (f.values ?? [])
    .map((v) => (v.when === undefined ? v.label : `${v.label} (${whenShort(v.when)})`))
    .join('; ');
}

function whenShort(c: AefCondition): string {
  if ('all' in c) return c.all.map(whenShort).join(' and ');
  if ('any' in c) return c.any.map(whenShort).join(' or ');
  return `${c.field}: ${c.in.join(', ')}`;
}

/** A table cell: pipes escaped, no line breaks. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}
