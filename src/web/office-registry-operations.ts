// What each form of the registry operations page does: the ledger command it becomes, checked by the
// same schema as the API's and the CLI's; a transfer out of a government account becomes a request.
import type { Result } from '../core/shared/result.ts';
import type { CommandName } from '../services/ledger-schemas.ts';
import type { Platform } from '../services/platform.ts';
import { field, officeEnvelope, type OfficeForm, type OfficeSession } from './office-session.ts';

type Posted = { session: OfficeSession; form: OfficeForm };

/** A ledger command from a form, checked by the same schema as the API's and the CLI's. */
async function ledgerCommand(
  platform: Platform,
  name: CommandName,
  raw: Record<string, unknown>,
  posted: Posted,
): Promise<Result<unknown>> {
  return platform.ledger.execute(name, officeEnvelope(posted, raw));
}

/** A transfer; out of a government account it becomes a request that a second person decides. */
async function transfer(platform: Platform, posted: Posted) {
  const { form } = posted;
  const vintage = field(form, 'vintage');
  const project = field(form, 'project');
  const raw = {
    from: field(form, 'from')?.toUpperCase() ?? '',
    to: field(form, 'to')?.toUpperCase() ?? '',
    selection: {
      quantity: field(form, 'quantity') ?? '',
      ...(project === undefined ? {} : { project }),
      ...(vintage === undefined ? {} : { vintage }),
    },
  };
  const account = await platform.queries.account(raw.from);
  if (account.ok && account.value.type === 'government_holding') {
    const requested = await platform.transferRequests.request(officeEnvelope(posted, raw));
    return {
      result: requested,
      done: requested.ok ? `Requested as ${requested.value.id}: it waits for a second person.` : '',
    };
  }
  return { result: await ledgerCommand(platform, 'transfer', raw, posted), done: 'Transferred.' };
}

type Step = { result: Result<unknown>; done: string };

/** The registry operations of the back office, by the last segment of their form's path. */
export const registryOperations: Record<
  string,
  (platform: Platform, posted: Posted) => Promise<Step>
> = {
  issue: async (platform, posted) => {
    const text = (name: string) => field(posted.form, name) ?? '';
    const input = {
      registry: text('registry'),
      decision: text('decision'),
      line: Number(text('line')),
    };
    return {
      result: await ledgerCommand(platform, 'issue', input, posted),
      done: `Issued line ${text('line')} of ${text('decision')}.`,
    };
  },
  open_account: async (platform, posted) => {
    const text = (name: string) => field(posted.form, name) ?? '';
    const input = {
      registry: text('registry'),
      accountType: text('accountType'),
      holderId: text('holderId'),
      holderName: text('holderName'),
    };
    return {
      result: await ledgerCommand(platform, 'open_account', input, posted),
      done: `Opened an account for ${text('holderName')} in ${text('registry')}.`,
    };
  },
  open_registry: async (platform, posted) => {
    const registry = (field(posted.form, 'registry') ?? '').toUpperCase();
    const input = { registry, name: field(posted.form, 'name') ?? '' };
    return {
      result: await ledgerCommand(platform, 'open_registry', input, posted),
      done: `Opened registry ${registry}.`,
    };
  },
  transfer: (platform, posted) => transfer(platform, posted),
};
