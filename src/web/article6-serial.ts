// The serial checker's Article 6.2 part: for an ITMO, its identifier, approach, authorisation, first
// transferring Party and whether it has been first transferred, and, once used or cancelled, what
// for, by whom and for which year, in words; for a credit no authorisation covers, that it is not an
// ITMO and counts towards the host Party's NDC.
import { html } from 'hono/html';
import { parseProjectRef, projectCountry } from '../core/shared/ids.ts';
import { parseSerial } from '../core/shared/numbers.ts';
import type { ActionCursor, ItmoStatus } from './article6-types.ts';
import { entityLink } from './article6-authorisations.ts';
import { authorisationHref } from './article6-links.ts';
import type { Platform } from '../services/platform.ts';
import {
  cancellationKindWords,
  firstTransferWord,
  partyNames,
  partyWord,
  subtypeWord,
} from './article6-words.ts';
import { countryName, type Html } from './layout.ts';

type Status = ItmoStatus;
type Names = ReadonlyMap<string, string>;

/** The Party of a registry under the approach (Japan's registry: Japan). */
async function registryParty(platform: Platform, status: Status): Promise<string | null> {
  const approaches = await platform.article6.queries.latestApproaches();
  const approach = approaches.find((v) => v.approach.id === status.itmo?.approach)?.approach;
  return approach?.registries.find((r) => r.registry === status.registry)?.party ?? null;
}

/** Pages of a Party's actions read, at most, to find the use or cancellation of one credit. */
const actionPagesMax = 20;

/** The using or cancelling Party or entity the derived action names (AEF table 3), if found. */
async function userOf(
  platform: Platform,
  party: string,
  status: Status,
  serial: bigint,
): Promise<string | null> {
  const year = Number(status.entry.recordedAt.slice(0, 4));
  let after: ActionCursor | undefined;
  for (let i = 0; i < actionPagesMax; i += 1) {
    const page = await platform.article6.queries.partyActions(party, year, {
      limit: 1000,
      ...(after === undefined ? {} : { after }),
    });
    const found = page.actions.find(
      (a) =>
        a.entry.chain === status.entry.chain &&
        a.entry.seq === status.entry.seq &&
        a.usingOrCancelling !== null &&
        a.project === status.project &&
        a.serialFirst <= serial &&
        serial <= a.serialLast,
    );
    if (found !== undefined) return found.usingOrCancelling;
    if (page.next === null) return null;
    after = page.next;
  }
  return null;
}

async function userWords(
  platform: Platform,
  who: string | null,
  names: Names,
  authorisation?: string,
): Promise<Html | string> {
  if (who === null) return 'not named in the actions';
  if (/^[A-Z]{3}$/.test(who)) return partyWord(names, who);
  const organisation = (await platform.cycleQueries.organisations()).find((o) => o.id === who);
  return organisation === undefined ? who : entityLink(who, organisation.name, authorisation);
}

async function disposalWords(
  platform: Platform,
  status: Status,
  serial: bigint,
  names: Names,
): Promise<Html | string> {
  const d = status.disposal;
  if (d === null) return 'Not used or cancelled: it is held in an account of the registry.';
  const party = await registryParty(platform, status);
  const who =
    party === null
      ? 'not named'
      : await userWords(
          platform,
          await userOf(platform, party, status, serial),
          names,
          status.itmo?.authorisation,
        );
  if (status.accountType === 'cancellation') {
    const kind = d.cancellationKind as keyof typeof cancellationKindWords | null;
    return html`Cancelled by
    ${who}${kind === null ? '' : html`, ${cancellationKindWords[kind] ?? kind}`}. Reason given:
    ${d.reason ?? 'none'}.`;
  }
  return html`Used ${subtypeWord(d.purpose)} by
  ${who}${d.yearOfUse === null ? '' : `, for the calendar year ${d.yearOfUse}`}. Beneficiary named
  in the retirement: ${d.beneficiary ?? 'none'}.`;
}

async function firstTransferLine(
  platform: Platform,
  status: Status,
  names: Names,
): Promise<string> {
  const itmo = status.itmo;
  if (itmo === null) return '';
  const party = partyWord(names, itmo.firstParty);
  if (itmo.firstTransferred) return `Yes: ${party} has first transferred it.`;
  const found = await platform.article6.queries.authorisation(itmo.authorisation);
  const current = found?.versions.at(-1)?.authorisation;
  const when =
    current === undefined
      ? ''
      : ` Under ${itmo.authorisation}, the first transfer happens ${firstTransferWord(current.firstTransferDefinition)}.`;
  return `Not yet.${when}`;
}

/** The ITMO status of the credit, or nothing when the project or serial cannot be read. */
export async function itmoSection(
  platform: Platform,
  project: string,
  serial: string,
): Promise<Html | ''> {
  const ref = parseProjectRef(project);
  const number = parseSerial(serial);
  if (!ref.ok || !number.ok) return '';
  const status = await platform.article6.itmoStatus(ref.value, number.value);
  if (status === null) return '';
  const names = await partyNames(platform);
  if (status.itmo === null) {
    const country = projectCountry(ref.value);
    const hostName =
      (await platform.partnerships.get(country))?.partner.name ?? countryName(country);
    return html`<h3>Article 6.2</h3>
      <p id="itmo-status">
        Not an ITMO: no authorisation covers this credit, so it is not internationally transferred
        and counts towards the host Party's NDC (${hostName}'s).
      </p>`;
  }
  const itmo = status.itmo;
  return html`<h3>Article 6.2</h3>
    <dl class="facts" id="itmo-status">
      <dt>ITMO identifier</dt>
      <dd class="mono">
        ${status.itmoId ?? 'none: the approach names no Party registry ID for this registry'}
      </dd>
      <dt>Cooperative approach</dt>
      <dd><a href="/article6#approach-${itmo.approach}">${itmo.approach}</a></dd>
      <dt>Authorisation</dt>
      <dd><a href="${authorisationHref(itmo.authorisation)}">${itmo.authorisation}</a></dd>
      <dt>First transferring Party</dt>
      <dd>${partyWord(names, itmo.firstParty)}</dd>
      <dt>First transferred</dt>
      <dd>${await firstTransferLine(platform, status, names)}</dd>
      <dt>Use or cancellation</dt>
      <dd>${await disposalWords(platform, status, number.value, names)}</dd>
    </dl>`;
}
