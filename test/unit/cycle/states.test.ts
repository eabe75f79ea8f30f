// The database's CHECK of cycle_items.state (migration 007) lists exactly the states of each machine
// of the cycle's table: a state added to the table without the migration would be refused by the
// database, and a state the table no longer has would still be accepted.
import { describe, expect, it } from 'vitest';
import { cycleDefinition, machines } from '../../../src/core/cycle/definition.ts';
import { cycleStates } from '../../../src/db/migrations/010-cycle-rejected-issuance.ts';

describe('the states the database accepts', () => {
  it.each(machines.map((m) => [m]))('are the states of the %s machine', (machine) => {
    const rows = cycleDefinition.filter((r) => r.machine === machine);
    const states = new Set([
      ...rows.flatMap((r) => (r.from === null ? [] : [r.from])),
      ...rows.map((r) => r.to),
    ]);
    expect([...(cycleStates[machine] ?? [])].sort()).toEqual([...states].sort());
  });
});
