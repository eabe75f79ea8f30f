// Reconciliation across deployments (core/federation/reconcile.ts), from checked exports built by hand:
// each kind of disagreement is found, and two deployments that agree give none.
import { describe, expect, it } from 'vitest';
import type { FirstTransfer } from '../../../src/core/federation/article6-records.ts';
import type { CheckedExport, IssuedLine } from '../../../src/core/federation/export-check.ts';
import type { ExportDecision } from '../../../src/core/federation/public-export.ts';
import { reconcile } from '../../../src/core/federation/reconcile.ts';

const d1: ExportDecision = {
  record: 'decision',
  id: 'D1',
  project: 'IN001',
  serials: { first: 1n, last: 150n },
  lines: [
    {
      lineNo: 1,
      registry: 'JP',
      account: 'JP-000004',
      vintage: 2027,
      quantity: 100n,
      serials: { first: 1n, last: 100n },
      reserve: 0n,
    },
    {
      lineNo: 2,
      registry: 'IN',
      account: 'IN-000004',
      vintage: 2027,
      quantity: 50n,
      serials: { first: 101n, last: 150n },
      reserve: 0n,
    },
  ],
};

const parties = new Map([
  ['JPN', 'JP'],
  ['IND', 'IN'],
]);
const noTransfers = { derived: new Map(), received: new Map(), partyRegistries: parties };

/** India's first transfer of D1's line 1, derived from Japan's entry JP#7 (its action 2). */
const transfer: FirstTransfer = {
  chain: 'JP',
  seq: 7n,
  n: 2,
  party: 'IND',
  date: '2028-04-01',
  approach: 'CA0001',
  authorisation: 'IND-JCM-NDC-001',
  registry: 'JP',
  project: 'IN001',
  vintage: 2027,
  serialFirst: 1n,
  serialLast: 100n,
  acquiringParty: 'JPN',
};
const derivedBy = (t: FirstTransfer) => ({ ...noTransfers, derived: new Map([['JP#7#2', t]]) });
const receivedFrom = (sender: string, t: FirstTransfer) => ({
  ...noTransfers,
  received: new Map([[sender, new Map([['JP#7#2', t]])]]),
});

function side(
  deployment: string,
  registries: string[],
  decisions: ExportDecision[],
  issued: Record<string, IssuedLine>,
  firstTransfers: CheckedExport['firstTransfers'] = noTransfers,
): CheckedExport {
  return {
    header: {
      record: 'export',
      version: 1,
      deployment,
      registries,
      exportedAt: '2028-01-01T00:00:00.000Z',
      keys: [],
    },
    decisions: new Map(decisions.map((d) => [d.id, d])),
    issued: new Map(Object.entries(issued)),
    totals: new Map(),
    heads: new Map(),
    counts: { entries: 0n, blocks: 0n, checkpoints: 0 },
    checkpointTotalsCompared: 0,
    keysPinned: false,
    firstTransfers,
  };
}

const jpIssued = { 'D1#1': { registry: 'JP', first: 1n, last: 100n } };
const inIssued = { 'D1#2': { registry: 'IN', first: 101n, last: 150n } };
const found = (exports: CheckedExport[]) =>
  reconcile(exports).map((d) => `${d.kind} ${d.deployment} ${d.subject}`);

describe('reconciling checked exports', () => {
  it('finds nothing when each deployment issued its own lines of the same decision', () => {
    expect(found([side('jp', ['JP'], [d1], jpIssued), side('in', ['IN'], [d1], inIssued)])).toEqual(
      [],
    );
  });

  it('finds a decision that differs, one that never arrived, a range issued otherwise and a registry hosted twice', () => {
    const changed: ExportDecision = {
      ...d1,
      lines: d1.lines.map((l) => (l.lineNo === 2 ? { ...l, account: 'IN-000005' } : l)),
    };
    expect(
      found([side('jp', ['JP'], [d1], jpIssued), side('in', ['IN'], [changed], inIssued)]),
    ).toEqual(['decision_differs_between_deployments in decision D1']);
    expect(found([side('jp', ['JP'], [d1], jpIssued), side('in', ['IN'], [], {})])).toEqual([
      'decision_not_received in decision D1',
    ]);
    const shifted = { 'D1#2': { registry: 'IN', first: 102n, last: 151n } };
    expect(found([side('jp', ['JP'], [d1], jpIssued), side('in', ['IN'], [d1], shifted)])).toEqual([
      'issued_range_differs in decision D1 line 2',
    ]);
    expect(
      found([side('jp', ['JP', 'IN'], [d1], jpIssued), side('in', ['IN'], [d1], inIssued)]),
    ).toEqual(['registry_hosted_twice in IN', 'issued_by_wrong_deployment in decision D1 line 2']);
    expect(found([side('jp', ['JP'], [d1], jpIssued), side('jp', ['IN'], [d1], inIssued)])).toEqual(
      ['export_deployment_twice jp jp'],
    );
  });

  it("finds a first transfer the transferring Party's deployment has not recorded, recorded otherwise, or never derived", () => {
    const jp = (t = transfer) => side('jp', ['JP'], [d1], jpIssued, derivedBy(t));
    const india = (t = transfer) => side('in', ['IN'], [d1], inIssued, receivedFrom('jp', t));
    expect(found([jp(), india()])).toEqual([]);
    expect(found([jp(), side('in', ['IN'], [d1], inIssued)])).toEqual([
      'first_transfer_not_received in first transfer jp JP#7#2',
    ]);
    expect(found([jp(), india({ ...transfer, serialLast: 99n })])).toEqual([
      'first_transfer_differs in first transfer jp JP#7#2',
    ]);
    expect(found([side('jp', ['JP'], [d1], jpIssued), india()])).toEqual([
      'first_transfer_unknown in first transfer jp JP#7#2',
    ]);
    // Japan's own first transfers (its Party's registry is its own) are no other deployment's.
    expect(found([jp({ ...transfer, party: 'JPN' }), side('in', ['IN'], [d1], inIssued)])).toEqual(
      [],
    );
  });
});
