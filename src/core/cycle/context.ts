// What the cycle decides on besides the action: the stored item, its parent and project, the
// decision it carries out, its findings and documents, the TPE's designations, the organisations a
// submission names, the ledger lines of its issuance decision, the rulebooks and the day. The store
// loads it inside the action's transaction, with the rows the action writes locked.
import type { AllocationAccount } from './allocation-holders.ts';
import type { Rulebook, ServedActivities } from './rulebook.ts';
import type { DocumentType } from './definition.ts';
import type { Designation, LedgerLine, StoredFinding, StoredItem } from './items.ts';
import type { CivilDate } from '../shared/civil-date.ts';
import type { DoubleCountingFacts } from './double-counting.ts';

export interface CycleContext {
  /** The item acted on (locked); null when the action creates one. */
  readonly item: StoredItem | null;
  /** The item's parent, or the item a creating action starts from (locked when the action writes it). */
  readonly parent: StoredItem | null;
  /** The PIN or project the action concerns: the item, its parent or its grandparent. */
  readonly project: StoredItem | null;
  /** The monitoring period of an issuance request (locked: its `usedBy` changes). */
  readonly monitoring: StoredItem | null;
  /** The Joint Committee decision the action names (locked: it is marked as carried out). */
  readonly decision: StoredItem | null;
  readonly findings: readonly StoredFinding[];
  /** Types of the documents on file for the item. */
  readonly documentsOnFile: ReadonlySet<DocumentType>;
  /** Designations of the TPE the action concerns, in the partnership. */
  readonly designations: readonly Designation[];
  /** Kind of each registered organisation a submitted project names (absent: not registered). */
  readonly organisations: ReadonlyMap<string, string>;
  /** The project's other monitoring reports (their calculated periods), for monitoring actions. */
  readonly otherMonitoring: readonly StoredItem[];
  /**
   * The registry's account of every allocation line the action is checked on (by account id; absent:
   * no such account), so that each line's holder is derived from the account, not the request.
   */
  readonly allocationAccounts: ReadonlyMap<string, AllocationAccount>;
  /** The lines of the item's ledger issuance decision and whether each is issued. */
  readonly ledgerLines: readonly LedgerLine[];
  /** The last number given out by the counter the action needs (new item id, project reference). */
  readonly counters: ReadonlyMap<string, number>;
  readonly rulebooks: readonly Rulebook[];
  /** Ids of the catalogue's illustrative files (an adopted entry takes the next free number). */
  readonly catalogueIds: readonly string[];
  /** The ids of the public comments on the item (loaded when the action refers to comments). */
  readonly commentIds: ReadonlySet<string>;
  /** SHA-256 of the item's latest methodology file (a methodology proposal), or null. */
  readonly methodologyFile: string | null;
  /**
   * What each catalogue methodology (`{id}@{version}`) serves of the partners' eligible-activity
   * lists, from the catalogue, never from the request. Absent: no methodology is known, and a rule
   * that restricts activities refuses every project.
   */
  readonly servedActivities?: ReadonlyMap<string, ServedActivities>;
  /** The catalogue methodologies (`{id}@{version}`) of CCS or CCUS (sectoral scope 16). */
  readonly ccsMethodologies?: ReadonlySet<string>;
  /**
   * The project's registrations elsewhere and possible duplicates, and the other projects a
   * registration request is checked against (double-counting.ts). Loaded for every action; its
   * guards assert that it was.
   */
  readonly doubleCounting?: DoubleCountingFacts;
  /** ISO 8601 instant of the action, and its day (from the clock port). */
  readonly now: string;
  readonly today: CivilDate;
}
