// The description of the AEF (article6/aef.yaml) loads; every column has its label; the columns the
// UNFCCC's platform fills are marked; and the schema refuses a description that contradicts itself.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  defaultAefDescriptionPath,
  readAefDescriptionText,
} from '../../../src/formats/aef-description-file.ts';
import { description } from './aef-fixture.ts';

const text = readFileSync(defaultAefDescriptionPath, 'utf8');

describe('the AEF description', () => {
  it('has the five tables in the template order, with their columns', () => {
    expect(description.tables.map((t) => [t.key, t.label, t.fields.length])).toEqual([
      ['submission', 'Table 1: Submission', 9],
      ['authorizations', 'Table 2: Authorizations', 19],
      ['actions', 'Table 3: Actions', 27],
      ['holdings', 'Table 4: Holdings', 16],
      ['authorized_entities', 'Table 5: Authorized entities', 8],
    ]);
  });

  it('gives every column a label', () => {
    const unlabelled = description.tables.flatMap((t) =>
      t.fields.filter((f) => f.label.trim().length < 2).map((f) => `${t.key}.${f.key}`),
    );
    expect(unlabelled).toEqual([]);
  });

  it("marks exactly the columns the UNFCCC's platform fills", () => {
    const unfccc = description.tables.flatMap((t) =>
      t.fields.filter((f) => f.filled_by === 'unfccc').map((f) => `${t.key}.${f.key}`),
    );
    expect(unfccc).toEqual([
      'submission.review_status',
      'submission.consistency_check_result',
      'submission.review_report_reference',
      'authorizations.authorization_documentation',
      'actions.consistency_check_result',
    ]);
  });

  it('lists the seven action types and the JCM among the underlying registries', () => {
    const actions = description.tables.find((t) => t.key === 'actions');
    const labels = (key: string) =>
      actions?.fields.find((f) => f.key === key)?.values?.map((v) => v.label);
    expect(labels('action_type')).toEqual([
      'Authorization',
      'First transfer',
      'Transfer',
      'Acquisition',
      'Use',
      'Cancellation',
      'Voluntary cancellation',
    ]);
    expect(labels('unit_registry')).toContain('JCM');
    expect(labels('mitigation_type')).toEqual([
      'Emission reductions',
      'Removals',
      'Emission reductions and removals',
    ]);
  });

  it('names its source', () => {
    expect(description.version).toBe('AEF-2024');
    expect(description.source.locator).toContain('6/CMA.4');
  });

  const edit = (from: string, to: string) => {
    expect(text).toContain(from);
    return text.replace(from, to);
  };

  it.each([
    [
      'a conditional column without its condition',
      edit(
        'presence: conditional\n        when: { field: metric, in: [non_ghg] }\n        note: The template',
        'presence: conditional\n        note: The template',
      ),
      'non_ghg_metric: a conditional field states its condition',
    ],
    [
      'a condition on a value the column has not',
      edit(
        'when: { field: metric, in: [non_ghg] }\n        note: The template',
        'when: { field: metric, in: [co2] }\n        note: The template',
      ),
      'non_ghg_metric: co2 is not a value of metric',
    ],
    [
      'a column the UNFCCC fills that the Party must fill',
      edit(
        'type: text\n        presence: optional\n        filled_by: unfccc',
        'type: text\n        presence: required\n        filled_by: unfccc',
      ),
      'review_status: a field the UNFCCC fills',
    ],
    [
      'a pattern without its anchors',
      edit(
        "pattern: '^[A-Z]{3}$'\n        presence: required\n        note: The reporting Party",
        "pattern: '[A-Z]{3}'\n        presence: required\n        note: The reporting Party",
      ),
      'party: a pattern is anchored',
    ],
    [
      'tables out of the template order',
      edit('  - key: submission\n', '  - key: holdings\n'),
      'table 1 is submission',
    ],
  ])('refuses %s', (_, changed, message) => {
    const read = readAefDescriptionText(changed, 'article6/aef.yaml');
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.issues[0]?.code).toBe('aef_description_invalid');
    expect(read.issues.map((i) => i.message).join('\n')).toContain(message);
  });
});
