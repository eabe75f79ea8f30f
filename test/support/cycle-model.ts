// A small reference model of the project cycle, written apart from src/core/cycle: it reads the
// cycle's table (the specification, as data) and re-states in the plainest way who holds which role
// for an item, which guard holds, the order in which refusals are decided, and what each action
// leaves behind (findings, decisions carried out, monitoring periods used, deadlines, new ids). The
// model-based test runs the same random actions here and on the real stack.
import { cycleDefinition, type TransitionRule } from '../../src/core/cycle/definition.ts';

export interface ModelItem {
  readonly id: string;
  readonly machine: string;
  state: string;
  readonly parent: string | null;
  /** The day public input (or another step with a deadline) ends, YYYY-MM-DD. */
  due: string | null;
  readonly documents: Set<string>;
  readonly findings: Map<string, { kind: string; state: 'open' | 'answered' | 'closed' }>;
  /** Methodology proposals: who proposed them. */
  readonly proposers: Set<string>;
  /** Decisions: what they authorise, who confirmed, whether carried out. */
  subject?: { item: string; action: string };
  readonly confirmations: Set<string>;
  carriedOut: boolean;
  /** Monitoring periods: the issuance request using them; the period covered, credits of 2028. */
  usedBy: string | null;
  period: { start: string; end: string } | null;
  calculated: number;
  registered: boolean;
  /** How many actions the item has seen (a decision authorises the version it was proposed on). */
  version: number;
  subjectVersion?: number;
}

export interface ModelAttempt {
  readonly action: string;
  /** The item acted on, or for a creating action the item it starts from ('' for none). */
  readonly on: string;
  readonly roles: string;
  readonly documents: readonly string[];
  /** The decision named (decision actions), the finding named (answer and close), verified tonnes. */
  readonly decision?: string | undefined;
  readonly finding?: string | undefined;
  readonly verified?: number | undefined;
  readonly subjectAction?: string | undefined;
  /** The period a monitoring report covers. */
  readonly period?: { readonly start: string; readonly end: string } | undefined;
}

export type ModelOutcome =
  { readonly to: string; readonly item: string } | { readonly code: string };

const participant = 'sunrise-jp';
const partner = 'surya-in';
const projectTpe = 'verita';
/** Actions whose decision needs both governments' prior confirmation under India's rulebook. */
const confirmed = new Set([
  'register_project',
  'reject_registration',
  'renew_crediting_period',
  'decide_issuance',
  'reject_issuance',
]);
/** Documents India's rulebook adds. */
const extra: Record<string, string[]> = { submit_pdd: ['project_information_sheet'] };

const guardCode: Record<string, string> = {
  public_input_elapsed: 'cycle_public_input_still_open',
  no_open_findings: 'cycle_findings_open',
  tpe_designated: 'cycle_tpe_not_designated',
  activity_eligible: 'cycle_activity_not_eligible',
  ccs_periods_fit: 'cycle_ccs_periods_invalid',
  allocation_meets_rulebook: 'allocation_rule_violated',
  decision_adopted: 'cycle_decision_not_adopted',
  confirmations_complete: 'cycle_government_confirmation_missing',
  monitoring_verified: 'cycle_monitoring_not_verified',
  verified_within_calculated: 'cycle_verified_exceeds_calculated',
  project_registered: 'cycle_project_not_registered',
  monitoring_periods_fit: 'cycle_monitoring_period_invalid',
  participants_registered: 'cycle_participant_not_registered',
  subject_awaits_decision: 'cycle_decision_subject_invalid',
  reference_only: 'cycle_reassessment_changes_other_data',
};

export class CycleModel {
  readonly items = new Map<string, ModelItem>();
  /** Numbers given out, by counter; a test seeds them with what its set-up numbered. */
  readonly counters = new Map<string, number>();
  /**
   * The possible duplicates flagged on each project at its registration requests: every model
   * project shares the fixtures' site, technology and participants, so each other project not
   * withdrawn is one; the model concludes on none.
   */
  private readonly duplicates = new Map<string, Set<string>>();

  /** What the platform must answer to an attempt on the given day; the model moves on if it succeeds. */
  apply(attempt: ModelAttempt, today: string, year: number): ModelOutcome {
    const creating = cycleDefinition.find((r) => r.from === null && r.action === attempt.action);
    const item = creating === undefined ? this.items.get(attempt.on) : undefined;
    const from =
      creating === undefined ? undefined : attempt.on === '' ? null : this.items.get(attempt.on);
    if (creating === undefined ? item === undefined : from === undefined)
      return { code: 'cycle_item_not_found' };
    const machine = creating?.machine ?? item?.machine ?? '';
    const rows = cycleDefinition.filter(
      (r) => r.machine === machine && r.action === attempt.action,
    );
    if (rows.length === 0) return { code: 'cycle_action_unknown' };
    const rule = rows.find((r) => r.from === (item?.state ?? null));
    if (rule === undefined) return { code: 'cycle_action_not_allowed_in_state' };
    const project = this.projectOf(item ?? from ?? null, machine);
    if (!rule.roles.some((role) => this.holds(attempt.roles, role, item ?? null, machine, project)))
      return { code: 'cycle_role_not_allowed' };
    const needed = [...rule.documents, ...(extra[rule.action] ?? [])];
    if (needed.some((d) => !attempt.documents.includes(d) && !(item?.documents.has(d) ?? false)))
      return { code: 'cycle_documents_missing' };
    for (const guard of rule.guards) {
      const holds = this.guardHolds(guard, attempt, item ?? null, from ?? null, project, today);
      if (holds !== true) return { code: holds === false ? (guardCode[guard] ?? guard) : holds };
    }
    if (attempt.action === 'answer_finding' || attempt.action === 'close_finding') {
      const finding = item?.findings.get(attempt.finding ?? '');
      if (finding === undefined || finding.state === 'closed')
        return { code: 'cycle_finding_not_found' };
    }
    return this.move(rule, attempt, item ?? null, from ?? null, project, today, year);
  }

  /** The PIN or project an item (or the item a new one starts from) belongs to. */
  private projectOf(item: ModelItem | null, machine: string): ModelItem | null {
    if (item === null) return machine === 'pin' || machine === 'project' ? null : null;
    if (item.machine === 'project' || item.machine === 'pin') return item;
    const parent = item.parent === null ? undefined : this.items.get(item.parent);
    if (parent === undefined) return null;
    if (parent.machine === 'project' || parent.machine === 'pin') return parent;
    const grandparent = parent.parent === null ? undefined : this.items.get(parent.parent);
    return grandparent?.machine === 'project' || grandparent?.machine === 'pin'
      ? grandparent
      : null;
  }

  private holds(
    roles: string,
    role: string,
    item: ModelItem | null,
    machine: string,
    project: ModelItem | null,
  ): boolean {
    const [kind, arg] = roles.split(':');
    if (kind !== role) return false;
    switch (kind) {
      case 'project_participant':
        if (machine === 'methodology')
          return item === null || item.state === 'approved' || item.proposers.has(arg ?? '');
        // A new PIN or PDD names sunrise-jp and surya-in; stored projects the same.
        return (
          (project !== null || machine === 'pin' || machine === 'project') &&
          (arg === participant || arg === partner)
        );
      case 'third_party_entity':
        return project !== null && arg === projectTpe;
      case 'government_japan':
        return true;
      default:
        return arg === 'IN';
    }
  }

  private guardHolds(
    guard: string,
    attempt: ModelAttempt,
    item: ModelItem | null,
    from: ModelItem | null,
    project: ModelItem | null,
    today: string,
  ): boolean | string {
    // true, false (the guard's code), or the code of the rule of the guard that is broken.
    switch (guard) {
      case 'public_input_elapsed':
        return item?.due !== null && item?.due !== undefined && today > item.due;
      case 'no_open_findings':
        return ![...(item?.findings.values() ?? [])].some(
          (f) => f.kind !== 'FAR' && f.state !== 'closed',
        );
      // Held in the model (its projects apply no CCS methodology and state no storage periods, and
      // it records no registration in another mechanism).
      case 'tpe_designated':
      case 'ccs_periods_fit':
      case 'activity_eligible':
      case 'reference_only':
      case 'not_registered_elsewhere':
      case 'decided_allocation_meets_rulebook':
      case 'allocation_meets_rulebook':
      case 'participants_registered':
        return true;
      case 'decision_adopted': {
        const decision = this.items.get(attempt.decision ?? '');
        return (
          decision?.machine === 'decision' &&
          decision.state === 'adopted' &&
          decision.subject?.item === item?.id &&
          decision.subject?.action === attempt.action &&
          decision.subjectVersion === item?.version &&
          !decision.carriedOut
        );
      }
      case 'confirmations_complete': {
        const decision =
          item?.machine === 'decision' ? item : this.items.get(attempt.decision ?? '');
        if (decision === undefined || decision === null) return false;
        return !confirmed.has(decision.subject?.action ?? '') || decision.confirmations.size === 2;
      }
      case 'monitoring_verified':
        return from?.machine === 'monitoring' && from.state === 'verified' && from.usedBy === null;
      case 'verified_within_calculated':
        return (attempt.verified ?? 0) <= (item?.calculated ?? 0);
      case 'project_registered': {
        // A report names the project itself; registered stays so while a change or renewal is reviewed.
        const named = attempt.action === 'submit_monitoring_report' ? from : project;
        return (
          named?.machine === 'project' &&
          ['registered', 'change_review', 'reassessment_review', 'renewal_review'].includes(
            named.state,
          )
        );
      }
      case 'monitoring_periods_fit': {
        const p = attempt.period;
        if (p === undefined) return true;
        if (p.end > today) return false;
        if (p.start < '2028-01-01' || p.end > '2037-12-31')
          return 'cycle_monitoring_period_outside_crediting_period';
        const projectId = project?.id;
        const overlaps = [...this.items.values()].some(
          (m) =>
            m.machine === 'monitoring' &&
            m.parent === projectId &&
            m !== item &&
            m.period !== null &&
            p.start <= m.period.end &&
            m.period.start <= p.end,
        );
        return overlaps ? 'cycle_monitoring_period_overlaps' : true;
      }
      case 'duplicates_concluded':
        return (
          (this.duplicates.get(item?.id ?? '')?.size ?? 0) === 0 || 'cycle_duplicate_flag_open'
        );
      case 'subject_awaits_decision':
        return cycleDefinition.some(
          (r) =>
            r.machine === from?.machine &&
            r.action === attempt.subjectAction &&
            r.guards.includes('decision_adopted'),
        );
      default:
        throw new Error(`the model does not know guard ${guard}`);
    }
  }

  private nextId(key: string, format: (n: number) => string): string {
    const n = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, n);
    return format(n);
  }

  private newId(
    machine: string,
    from: ModelItem | null,
    project: ModelItem | null,
    year: number,
  ): string {
    const three = (n: number) => String(n).padStart(3, '0');
    switch (machine) {
      case 'pin':
        return this.nextId('pin', (n) => `IN_PIN${three(n)}`);
      case 'methodology':
        return this.nextId('pm', (n) => `IN_PM${three(n)}`);
      case 'project':
        return this.nextId('project', (n) => `IN-PRJ${three(n)}`);
      case 'monitoring':
        return this.nextId(`mp:${from?.id}`, (n) => `${from?.id}-MP${n}`);
      case 'issuance':
        return this.nextId(`ir:${project?.id}`, (n) => `${project?.id}-IR${n}`);
      default:
        return this.nextId(`jc:${year}`, (n) => `JC-IN-${year}-${three(n)}`);
    }
  }

  private move(
    rule: TransitionRule,
    attempt: ModelAttempt,
    found: ModelItem | null,
    from: ModelItem | null,
    project: ModelItem | null,
    today: string,
    year: number,
  ): ModelOutcome {
    const item = found ?? this.create(rule, attempt, from, project, year);
    item.state = rule.to;
    item.version += 1;
    item.due = rule.opens === undefined ? null : addDays(today, rule.opens.days);
    for (const d of attempt.documents) item.documents.add(d);
    this.effects(rule.action, attempt, item, from);
    return { to: rule.to, item: item.id };
  }

  private create(
    rule: TransitionRule,
    attempt: ModelAttempt,
    from: ModelItem | null,
    project: ModelItem | null,
    year: number,
  ): ModelItem {
    const parent =
      rule.machine === 'issuance'
        ? (project?.id ?? null)
        : rule.machine === 'monitoring' || rule.machine === 'decision'
          ? (from?.id ?? null)
          : null;
    const item: ModelItem = {
      id: this.newId(rule.machine, from, project, year),
      machine: rule.machine,
      state: '',
      parent,
      due: null,
      documents: new Set(),
      findings: new Map(),
      proposers: new Set(),
      confirmations: new Set(),
      carriedOut: false,
      usedBy: null,
      period: null,
      calculated: 0,
      registered: false,
      version: 0,
      ...(rule.machine === 'decision' ? { subjectVersion: from?.version ?? 0 } : {}),
      ...(rule.machine === 'decision'
        ? { subject: { item: from?.id ?? '', action: attempt.subjectAction ?? '' } }
        : {}),
    };
    this.items.set(item.id, item);
    return item;
  }

  private findingCount = 0;

  private effects(
    action: string,
    attempt: ModelAttempt,
    item: ModelItem,
    from: ModelItem | null,
  ): void {
    const [kind, org] = attempt.roles.split(':');
    const decision = this.items.get(attempt.decision ?? '');
    if (
      decision !== undefined &&
      cycleDefinition.some((r) => r.action === action && r.guards.includes('decision_adopted'))
    )
      decision.carriedOut = true;
    switch (action) {
      case 'propose_methodology':
      case 'request_methodology_revision':
        if (kind === 'project_participant') item.proposers.add(org ?? '');
        break;
      case 'raise_finding':
        this.findingCount += 1;
        item.findings.set(String(this.findingCount), {
          kind: attempt.finding ?? 'CL',
          state: 'open',
        });
        break;
      case 'answer_finding':
      case 'close_finding': {
        const finding = item.findings.get(attempt.finding ?? '');
        if (finding !== undefined)
          finding.state = action === 'answer_finding' ? 'answered' : 'closed';
        break;
      }
      case 'submit_monitoring_report':
      case 'resubmit_monitoring_report':
        item.period = attempt.period ?? null;
        item.calculated = attempt.period?.start.startsWith('2028') === true ? 106 : 0;
        break;
      case 'confirm_decision':
        item.confirmations.add(kind === 'government_japan' ? 'japan' : 'partner');
        break;
      case 'request_issuance':
        if (from !== null) from.usedBy = item.id;
        break;
      case 'request_registration':
      case 'resubmit_registration': {
        const flagged = this.duplicates.get(item.id) ?? new Set<string>();
        for (const other of this.items.values())
          if (other.machine === 'project' && other !== item && other.state !== 'withdrawn')
            flagged.add(other.id);
        this.duplicates.set(item.id, flagged);
        break;
      }
      case 'withdraw_issuance_request':
      case 'reject_issuance':
        for (const m of this.items.values()) if (m.usedBy === item.id) m.usedBy = null;
        break;
    }
  }

  /** The ids the platform gives findings, in the order they are raised (one sequence per database). */
  findingsRaised(): number {
    return this.findingCount;
  }
}

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
