// Transaction histories (per account, per project, per serial) and the public register of
// retirements: inputs parsed as the rest of the registry parses them, cursors decoded against the
// order of each list, rows flagged when they are the synthetic demo's.
import { parseAccountId, parseProjectRef } from '../core/shared/ids.ts';
import { hasControlCharacter } from '../core/shared/control-characters.ts';
import { parseSerial } from '../core/shared/numbers.ts';
import { afterKey, mapPage, pageLimit, type Page, type PageRequest } from '../core/shared/page.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import {
  accountKey,
  beneficiaryKey,
  timeKey,
  type HistoryQueries,
  type Movement,
} from '../db/history-queries.ts';
import type { PortalQueries } from '../db/portal-queries.ts';

/** A beneficiary searched for is at most this long (the register's field is a name). */
export const beneficiarySearchLengthMax = 200;

export type { PageRequest } from '../core/shared/page.ts';

/** A movement with whether its project is the synthetic demo's (shown under that label). */
export type PublicMovement = Movement & { readonly synthetic: boolean };

export class Histories {
  constructor(
    private readonly queries: HistoryQueries,
    private readonly portal: PortalQueries,
  ) {}

  private async flagged(page: Page<Movement>): Promise<Page<PublicMovement>> {
    if (page.items.length === 0) return { items: [], next: page.next };
    const synthetic = await this.portal.syntheticReferences();
    return mapPage(page, (m) => ({ ...m, synthetic: synthetic.has(m.project) }));
  }

  async account(accountRaw: string, request: PageRequest): Promise<Result<Page<PublicMovement>>> {
    const id = parseAccountId(accountRaw);
    if (!id.ok) return id;
    const after = afterKey(request, accountKey);
    if (!after.ok) return after;
    const page = await this.queries.account(id.value, after.value, pageLimit(request));
    return page.ok ? ok(await this.flagged(page.value)) : page;
  }

  async project(projectRaw: string, request: PageRequest): Promise<Result<Page<PublicMovement>>> {
    const project = parseProjectRef(projectRaw);
    if (!project.ok) return project;
    const after = afterKey(request, timeKey);
    if (!after.ok) return after;
    const limit = pageLimit(request);
    return ok(await this.flagged(await this.queries.project(project.value, after.value, limit)));
  }

  async serial(
    projectRaw: string,
    serialRaw: string,
    request: PageRequest,
  ): Promise<Result<Page<PublicMovement>>> {
    const project = parseProjectRef(projectRaw);
    if (!project.ok) return project;
    const serial = parseSerial(serialRaw);
    if (!serial.ok) return serial;
    const after = afterKey(request, timeKey);
    if (!after.ok) return after;
    const limit = pageLimit(request);
    const page = await this.queries.serial(project.value, serial.value, after.value, limit);
    return ok(await this.flagged(page));
  }

  /**
   * The register of retirements, newest first; with a beneficiary, those whose beneficiary begins
   * with it, case-insensitively (the database's lower() on both sides), in the order of the name.
   */
  async retirements(
    beneficiaryRaw: string | undefined,
    request: PageRequest,
  ): Promise<Result<Page<PublicMovement>>> {
    const beneficiary = beneficiaryRaw?.trim() ?? '';
    if (beneficiary.length > beneficiarySearchLengthMax || hasControlCharacter(beneficiary))
      return reject(
        'invalid_request',
        `a beneficiary to search for is at most ${beneficiarySearchLengthMax} characters, without control characters`,
      );
    const after = afterKey(request, beneficiary === '' ? timeKey : beneficiaryKey);
    if (!after.ok) return after;
    const limit = pageLimit(request);
    const page = await this.queries.retirements(
      beneficiary === '' ? null : beneficiary,
      after.value,
      limit,
    );
    return ok(await this.flagged(page));
  }
}
