// The authorisation matrix: every write route of the API, who may call it (roles), and the relation
// the domain then checks (the registry, account, partnership or organisation the role must be of).
// access.ts enforces it before any handler runs; a test walks the whole matrix. Reads are public
// but for those of `restrictedReads`.
import { roles } from '../core/cycle/definition.ts';
import type { Actor, Role } from '../core/ledger/actor.ts';
import { article6ApiRows, article6OfficeRows } from './authorisation-article6.ts';

type RoleKind = Role['kind'];

export interface MatrixRow {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  /** `public`: anyone; `authenticated`: any logged-in actor; else one of these roles. */
  readonly allowed: 'public' | 'authenticated' | readonly RoleKind[];
  /** What the domain checks after the matrix, for the record. */
  readonly relation: string;
}

const managers: RoleKind[] = ['administrator', 'registry_manager'];
const movers: RoleKind[] = ['administrator', 'registry_manager', 'account_holder'];
/** The acting roles of the project cycle (its definition's list). */
const cycleRoles: readonly RoleKind[] = roles;

export const authorisationMatrix: readonly MatrixRow[] = [
  ...article6ApiRows,
  { method: 'POST', path: '/api/v1/registries', allowed: ['administrator'], relation: 'none' },
  {
    method: 'POST',
    path: '/api/v1/registries/{registry}/accounts',
    allowed: managers,
    relation: 'manager of that registry',
  },
  {
    method: 'POST',
    path: '/api/v1/accounts/{account}/freeze',
    allowed: managers,
    relation: "manager of the account's registry",
  },
  {
    method: 'POST',
    path: '/api/v1/accounts/{account}/unfreeze',
    allowed: managers,
    relation: "manager of the account's registry",
  },
  {
    method: 'POST',
    path: '/api/v1/accounts/{account}/close',
    allowed: managers,
    relation: "manager of the account's registry",
  },
  {
    method: 'POST',
    path: '/api/v1/registries/{registry}/issuances',
    allowed: managers,
    relation: 'manager of that registry',
  },
  {
    method: 'POST',
    path: '/api/v1/transfers',
    allowed: movers,
    relation: 'holder of the source account, or manager of its registry',
  },
  {
    method: 'POST',
    path: '/api/v1/retirements',
    allowed: movers,
    relation: 'holder of the source account, or manager of its registry',
  },
  {
    method: 'POST',
    path: '/api/v1/cancellations',
    allowed: movers,
    relation: 'holder of the source account, or manager of its registry',
  },
  {
    method: 'POST',
    path: '/api/v1/transfer-requests',
    allowed: movers,
    relation: 'holder of the government account, or manager of its registry',
  },
  {
    method: 'POST',
    path: '/api/v1/transfer-requests/{id}/approve',
    allowed: movers,
    relation: 'another person than the requester, acting for the account',
  },
  {
    method: 'POST',
    path: '/api/v1/transfer-requests/{id}/reject',
    allowed: managers,
    relation: "another person than the requester, manager of the account's registry",
  },
  {
    method: 'POST',
    path: '/api/v1/releases',
    allowed: managers,
    relation: 'manager of the registry',
  },
  {
    method: 'POST',
    path: '/api/v1/registries/{registry}/reversals',
    allowed: managers,
    relation: 'manager of that registry',
  },
  {
    method: 'POST',
    path: '/api/v1/cycle/actions/{action}',
    allowed: cycleRoles,
    relation:
      "the action's acting role in the cycle table, for this item's project, TPE, partnership or registry",
  },
  {
    method: 'POST',
    path: '/api/v1/organisations',
    allowed: ['administrator', 'secretariat'],
    relation: 'none',
  },
  {
    method: 'POST',
    path: '/api/v1/tpe-designations',
    allowed: ['joint_committee'],
    relation: "the partnership's Joint Committee",
  },
  { method: 'POST', path: '/api/v1/users', allowed: ['administrator'], relation: 'none' },
  // Issue 15, lane R2: a backup of the server's database and documents into its JCM_BACKUP_DIR.
  { method: 'POST', path: '/api/v1/backups', allowed: ['administrator'], relation: 'none' },
  { method: 'POST', path: '/api/v1/users/password', allowed: ['administrator'], relation: 'none' },
  {
    method: 'POST',
    path: '/api/v1/tokens',
    allowed: 'authenticated',
    relation: "the token's scopes are a subset of the user's roles",
  },
  {
    method: 'DELETE',
    path: '/api/v1/tokens/{id}',
    allowed: 'authenticated',
    relation: 'the token is the actor’s own (administrators: any)',
  },
  { method: 'POST', path: '/api/v1/session', allowed: 'public', relation: 'logging in' },
  {
    method: 'POST',
    path: '/api/v1/federation/messages',
    allowed: 'public',
    relation:
      "a registered peer deployment: the message's Ed25519 signature, by a key this deployment's configuration registers for its sender",
  },
  { method: 'POST', path: '/api/v1/federation/reconcile', allowed: managers, relation: 'none' },
  {
    method: 'DELETE',
    path: '/api/v1/session',
    allowed: 'authenticated',
    relation: 'the session of the cookie',
  },
  {
    method: 'POST',
    path: '/api/v1/cycle/items/{id}/comments',
    allowed: 'public',
    relation: 'anyone, while the item is in its public input period (rate limited per address)',
  },
  {
    method: 'POST',
    path: '/api/v1/comments/moderation',
    allowed: ['secretariat'],
    relation: "the secretariat of the comment's item's partnership",
  },
  {
    method: 'POST',
    path: '/api/v1/projects/{ref}/external-registrations',
    allowed: ['project_participant', 'secretariat'],
    relation:
      "a participant the stored project names, or the secretariat of the project's partnership",
  },
  {
    method: 'POST',
    path: '/api/v1/projects/{ref}/external-registrations/{id}/versions',
    allowed: ['project_participant', 'secretariat'],
    relation:
      "a participant the stored project names, or the secretariat of the project's partnership",
  },
  {
    method: 'POST',
    path: '/api/v1/cycle/duplicate-flags/{id}/conclusion',
    allowed: ['secretariat'],
    relation: "the secretariat of the flagged project's partnership",
  },
  {
    method: 'POST',
    path: '/api/v1/methodologies/validate',
    allowed: 'public',
    relation: 'changes nothing',
  },
  {
    method: 'POST',
    path: '/api/v1/methodologies/estimate',
    allowed: 'public',
    relation: 'changes nothing',
  },
  {
    method: 'POST',
    path: '/api/v1/methodologies/{id}/estimate',
    allowed: 'public',
    relation: 'changes nothing',
  },
  {
    method: 'POST',
    path: '/api/v1/methodologies/{id}/calculate',
    allowed: 'public',
    relation: 'changes nothing',
  },
];

/**
 * Reads that are not public, in the same terms: who may call them; the route then shows each reader
 * only what their roles reach.
 */
export const restrictedReads: readonly MatrixRow[] = [
  {
    method: 'GET',
    path: '/api/v1/comments',
    allowed: ['secretariat'],
    relation: 'the comments of the partnerships whose secretariat the actor is',
  },
  {
    method: 'GET',
    path: '/api/v1/cycle/items/{id}/documents/{type}/full',
    allowed: ['third_party_entity', 'joint_committee'],
    relation:
      "the TPE the item's project names, or the Joint Committee of the item's partnership; each read logged",
  },
  {
    method: 'GET',
    path: '/api/v1/cycle/items/{id}/duplicate-flags',
    allowed: ['secretariat', 'joint_committee'],
    relation:
      'the flags of the projects of the partnerships whose secretariat or Joint Committee the actor sits in',
  },
  {
    method: 'GET',
    path: '/api/v1/transfer-requests',
    allowed: movers,
    relation:
      'the requests of the registries the actor manages and of the accounts it holds (administrators: all)',
  },
];

/** Public reads named in the same terms (issue 15, lane C): certificates, from the public journal. */
export const publicReads: readonly MatrixRow[] = [
  '/api/v1/certificates/{chain}/{seq}',
  '/api/v1/certificates/{chain}/{seq}/pdf',
  '/api/v1/certificates/{chain}/{seq}/verification',
].map((path) => ({
  method: 'GET',
  path,
  allowed: 'public',
  relation: 'none: the journal is public',
}));

/**
 * The back office's forms, in the same terms: each form's route, who may post it, and what the
 * domain checks afterwards. `src/web/office-session.ts` enforces it for every posted form.
 */
export const officeMatrix: readonly MatrixRow[] = [
  ...article6OfficeRows,
  {
    method: 'POST',
    path: '/office/items/{id}/{action}',
    allowed: cycleRoles,
    relation: 'the acting role of the action in the item state, of the item partnership or project',
  },
  {
    method: 'POST',
    path: '/office/new/{action}',
    allowed: cycleRoles,
    relation: 'the acting role of the submission',
  },
  {
    method: 'POST',
    path: '/office/monitoring',
    allowed: 'authenticated',
    relation: 'changes nothing',
  },
  {
    method: 'POST',
    path: '/office/registry/issue',
    allowed: managers,
    relation: 'manager of the registry of the line',
  },
  {
    method: 'POST',
    path: '/office/registry/open_account',
    allowed: managers,
    relation: 'manager of that registry',
  },
  {
    method: 'POST',
    path: '/office/registry/transfer',
    allowed: managers,
    relation: "manager of the source account's registry; a second person for government accounts",
  },
  {
    method: 'POST',
    path: '/office/registry/open_registry',
    allowed: ['administrator'],
    relation: 'none',
  },
  {
    method: 'POST',
    path: '/office/transfers/{id}/{verb}',
    allowed: movers,
    relation: 'someone other than the requester, for the source account',
  },
  {
    method: 'POST',
    path: '/office/retirements/retire',
    allowed: movers,
    relation: 'holder of the source account, or manager of its registry',
  },
  {
    method: 'POST',
    path: '/office/retirements/cancel',
    allowed: movers,
    relation: 'holder of the source account, or manager of its registry',
  },
  { method: 'POST', path: '/office/audit', allowed: managers, relation: 'none' },
  { method: 'POST', path: '/office/reconcile', allowed: managers, relation: 'none' },
  { method: 'POST', path: '/office/users/{verb}', allowed: ['administrator'], relation: 'none' },
  {
    method: 'POST',
    path: '/office/comments/{verb}',
    allowed: ['secretariat'],
    relation: "the secretariat of the comment's item's partnership",
  },
  {
    method: 'POST',
    path: '/office/items/{id}/external-registrations/{verb}',
    allowed: ['project_participant', 'secretariat'],
    relation:
      "a participant the stored project names, or the secretariat of the project's partnership",
  },
  {
    method: 'POST',
    path: '/office/items/{id}/duplicate-flags/{verb}',
    allowed: ['secretariat'],
    relation: "the secretariat of the flagged project's partnership",
  },
  {
    method: 'POST',
    path: '/office/organisations/add',
    allowed: ['administrator', 'secretariat'],
    relation: 'none',
  },
  {
    method: 'POST',
    path: '/office/organisations/designate',
    allowed: ['joint_committee'],
    relation: 'the Joint Committee of the partnership',
  },
  {
    method: 'POST',
    path: '/office/tokens/{verb}',
    allowed: 'authenticated',
    relation: 'the actor’s own tokens, with some of their roles',
  },
];

/** An OpenAPI path template (`/api/v1/tokens/{id}`) as a pattern of the paths it names. */
export function pathPattern(template: string): RegExp {
  return new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
}

const compile = (rows: readonly MatrixRow[]) =>
  rows.map((row) => ({ row, pattern: pathPattern(row.path) }));
const compiled = compile(authorisationMatrix);
const compiledOffice = compile(officeMatrix);
const compiledReads = compile(restrictedReads);

/** The row of a read that needs a login (undefined: the read is public). */
export function restrictedReadFor(path: string): MatrixRow | undefined {
  return compiledReads.find((c) => c.pattern.test(path))?.row;
}

export function matrixRowFor(method: string, path: string): MatrixRow | undefined {
  return compiled.find((c) => c.row.method === method && c.pattern.test(path))?.row;
}

export function officeRowFor(path: string): MatrixRow | undefined {
  return compiledOffice.find((c) => c.pattern.test(path))?.row;
}

/** Whether a row lets an actor (null: nobody logged in) through. */
export function permits(row: MatrixRow, actor: Actor | null): boolean {
  if (row.allowed === 'public') return true;
  if (actor === null) return false;
  if (row.allowed === 'authenticated') return true;
  const allowed: readonly RoleKind[] = row.allowed;
  return actor.roles.some((r) => allowed.includes(r.kind));
}
