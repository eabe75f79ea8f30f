// Deadlines of open steps and each role's inbox: what waits for the role, and what is overdue (a step
// is overdue from the day after its due date). Time comes in as a day; nothing here reads a clock.
import { dayNumber, parseCivilDate, type CivilDate } from '../shared/civil-date.ts';
import { assert } from '../shared/assert.ts';
import type { CycleRole, Machine } from './definition.ts';

export interface OpenStep {
  readonly machine: Machine;
  readonly item: string;
  readonly state: string;
  readonly step: string;
  readonly role: CycleRole;
  /** YYYY-MM-DD, or null when the step has no deadline. */
  readonly due: string | null;
}

export interface InboxEntry extends OpenStep {
  readonly overdue: boolean;
  /** Days left (negative: days overdue); null without a deadline. */
  readonly daysLeft: number | null;
}

export function inbox(steps: readonly OpenStep[], role: CycleRole, today: CivilDate): InboxEntry[] {
  return steps
    .filter((s) => s.role === role)
    .map((s) => {
      if (s.due === null) return { ...s, overdue: false, daysLeft: null };
      const due = parseCivilDate(s.due);
      assert(due !== null, `due date ${s.due} was written by the cycle`);
      const daysLeft = dayNumber(due) - dayNumber(today);
      return { ...s, overdue: daysLeft < 0, daysLeft };
    })
    .sort(
      (a, b) =>
        (a.daysLeft ?? Number.MAX_SAFE_INTEGER) - (b.daysLeft ?? Number.MAX_SAFE_INTEGER) ||
        a.item.localeCompare(b.item),
    );
}
