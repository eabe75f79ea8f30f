// Synthetic demo data as a stored fact (issue 13, item 5): which items and project references are
// synthetic follows from the organisations flagged synthetic, whatever order the items come in.
import { describe, expect, it } from 'vitest';
import { syntheticItems, type ItemFacts } from '../../../src/core/cycle/synthetic.ts';

const project = (id: string, reference: string | null, japan: string, partner: string) => ({
  id,
  machine: 'project',
  parent_id: null,
  reference,
  data: { project: { participantsJapan: [japan], participantsPartner: [partner] } },
});
const child = (id: string, machine: string, parent: string) => ({
  id,
  machine,
  parent_id: parent,
  reference: null,
  data: {},
});
const decision = (id: string, about: string) => ({
  id,
  machine: 'decision',
  parent_id: null,
  reference: null,
  data: { subject: { item: about } },
});

const items: ItemFacts[] = [
  // The issuance request first: its parent (the monitoring period) comes later.
  child('IN-PRJ001-IR1', 'issuance', 'IN-PRJ001-MP1'),
  decision('JC-IN-2026-001', 'IN-PRJ001-IR1'),
  child('IN-PRJ001-MP1', 'monitoring', 'IN-PRJ001'),
  project('IN-PRJ001', 'IN001', 'demo-jp', 'real-in'),
  project('IN-PRJ002', 'IN002', 'real-jp', 'real-in'),
  child('IN-PRJ002-MP1', 'monitoring', 'IN-PRJ002'),
  decision('JC-IN-2026-002', 'IN-PRJ002'),
  {
    id: 'IN-PM001',
    machine: 'methodology',
    parent_id: null,
    reference: null,
    data: { proposers: ['demo-jp'] },
  },
  decision('JC-IN-2025-001', 'demo-tpe'),
  decision('JC-IN-2025-002', 'real-tpe'),
];

describe('synthetic demo data', () => {
  it('follows the flagged organisations to projects, their children at any depth, decisions and credits', () => {
    const found = syntheticItems(items, new Set(['demo-jp', 'demo-tpe']));
    expect([...found.items].sort()).toEqual([
      'IN-PM001',
      'IN-PRJ001',
      'IN-PRJ001-IR1',
      'IN-PRJ001-MP1',
      'JC-IN-2025-001',
      'JC-IN-2026-001',
    ]);
    expect([...found.references]).toEqual(['IN001']);
  });

  it('marks nothing when no organisation is flagged', () => {
    const found = syntheticItems(items, new Set());
    expect([found.items.size, found.references.size]).toEqual([0, 0]);
  });
});
