// ITMO identifiers as the AEF writes them (decision 6/CMA.4, annex I): cooperative approach id, Party
// registry id, first transferring Party, serial, vintage, e.g. `CA0001-JPN01-IND-001.1000-2027`.
// JCM serials restart with each project, so the serial segment is the project number and the credit's
// serial joined by a full stop: without the project two credits of one approach could share an id.
// Formatted and parsed here and nowhere else.
import { projectNumber, type ProjectRef } from '../shared/ids.ts';
import { ok, reject, type Result } from '../shared/result.ts';

export interface ItmoIdParts {
  readonly approach: string;
  readonly partyRegistryId: string;
  readonly firstParty: string;
  /** The partner country of the project, ISO 3166 alpha-2 (the project ref's first letters). */
  readonly project: ProjectRef;
  readonly serial: bigint;
  readonly vintage: number;
}

const itmoIdPattern = /^(CA\d{4})-([A-Z]{3}\d{2})-([A-Z]{3})-(\d{3,6})\.(\d{1,19})-(\d{4})$/;

export function formatItmoId(parts: ItmoIdParts): string {
  return `${parts.approach}-${parts.partyRegistryId}-${parts.firstParty}-${projectNumber(parts.project)}.${parts.serial}-${parts.vintage}`;
}

/**
 * Reads an ITMO id back. The project's country is not part of the id; the caller names the
 * partnership (the approach's partner) whose projects the id's project number belongs to.
 */
export function parseItmoId(raw: string, partner: string): Result<ItmoIdParts> {
  const match = itmoIdPattern.exec(raw);
  if (match === null)
    return reject(
      'itmo_id_malformed',
      `"${raw.slice(0, 80)}" is not an ITMO id like CA0001-JPN01-IND-001.1000-2027`,
    );
  const [, approach, partyRegistryId, firstParty, number, serial, vintage] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const value = BigInt(serial);
  if (value < 1n) return reject('itmo_id_malformed', `"${raw.slice(0, 80)}" has serial 0`);
  return ok({
    approach,
    partyRegistryId,
    firstParty,
    project: `${partner}${number}` as ProjectRef,
    serial: value,
    vintage: Number(vintage),
  });
}
