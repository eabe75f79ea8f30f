// Turns validated wire input into the core's commands: every id through its parser, every quantity
// and serial through the bigint parsers. The first bad value decides the error code.
import type { AllocationLineInput, LedgerCommand, Selection } from '../core/ledger/commands.ts';
import { assertNever } from '../core/shared/assert.ts';
import { retirementPurposes, type RetirementPurpose } from '../core/ledger/types.ts';
import { parseBlockId } from '../core/ledger/block-id.ts';
import { anyOverlap } from '../core/ledger/serial-range.ts';
import {
  parseAccountId,
  parseDecisionId,
  parseProjectRef,
  parseRegistryId,
  type ProjectRef,
} from '../core/shared/ids.ts';
import { rangesPerRequestMax } from '../core/shared/limits.ts';
import { parseQuantity, parseSerial, parseVintage } from '../core/shared/numbers.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import type { CommandInput, CommandName, SelectionInput } from './ledger-schemas.ts';

/** Unwraps a chain of parser results, stopping at the first rejection. */
class Bad extends Error {
  constructor(readonly result: Result<never>) {
    super('bad input');
  }
}

function need<T>(result: Result<T>): T {
  if (!result.ok) throw new Bad(result);
  return result.value;
}

export function parseCommand<N extends CommandName>(
  name: N,
  input: CommandInput<N>,
): Result<LedgerCommand> {
  try {
    return ok(build(name, input as CommandInput));
  } catch (error) {
    if (error instanceof Bad) return error.result;
    throw error;
  }
}

function build(name: CommandName, input: CommandInput): LedgerCommand {
  switch (name) {
    case 'open_registry': {
      const x = input as CommandInput<'open_registry'>;
      return { type: 'open_registry', registry: need(parseRegistryId(x.registry)), name: x.name };
    }
    case 'open_account': {
      const x = input as CommandInput<'open_account'>;
      return {
        type: 'open_account',
        registry: need(parseRegistryId(x.registry)),
        accountType: x.accountType,
        holderId: x.holderId,
        holderName: x.holderName,
      };
    }
    case 'freeze_account':
    case 'unfreeze_account':
    case 'close_account': {
      const x = input as CommandInput<'freeze_account'>;
      return { type: name, account: need(parseAccountId(x.account)), reason: x.reason };
    }
    case 'record_issuance_decision':
      return buildDecision(input as CommandInput<'record_issuance_decision'>);
    case 'issue': {
      const x = input as CommandInput<'issue'>;
      return {
        type: 'issue',
        registry: need(parseRegistryId(x.registry)),
        decision: need(parseDecisionId(x.decision)),
        lineNo: x.line,
      };
    }
    case 'transfer':
    case 'retire':
    case 'cancel':
    case 'release':
      return buildMovement(name, input);
    case 'reverse': {
      const x = input as CommandInput<'reverse'>;
      return {
        type: 'reverse',
        registry: need(parseRegistryId(x.registry)),
        seq: need(parseSerial(x.seq)),
        reason: x.reason,
      };
    }
    default:
      return assertNever(name, 'command');
  }
}

/** The commands that move credits out of (or back from the reserve into) an account. */
function buildMovement(
  name: 'transfer' | 'retire' | 'cancel' | 'release',
  input: CommandInput,
): LedgerCommand {
  switch (name) {
    case 'transfer': {
      const x = input as CommandInput<'transfer'>;
      return {
        type: 'transfer',
        from: need(parseAccountId(x.from)),
        to: need(parseAccountId(x.to)),
        selection: buildSelection(x.selection),
      };
    }
    case 'retire': {
      const x = input as CommandInput<'retire'>;
      return {
        type: 'retire',
        from: need(parseAccountId(x.from)),
        selection: buildSelection(x.selection),
        purpose: need(parsePurpose(x.purpose)),
        beneficiary: x.beneficiary,
        note: x.note,
        ...(x.yearOfUse === undefined ? {} : { yearOfUse: x.yearOfUse }),
      };
    }
    case 'cancel': {
      const x = input as CommandInput<'cancel'>;
      return {
        type: 'cancel',
        from: need(parseAccountId(x.from)),
        selection: buildSelection(x.selection),
        reason: x.reason,
        ...(x.cancellationKind === undefined ? {} : { cancellationKind: x.cancellationKind }),
      };
    }
    case 'release': {
      const x = input as CommandInput<'release'>;
      return {
        type: 'release',
        to: need(parseAccountId(x.to)),
        selection: buildSelection(x.selection),
        reason: x.reason,
      };
    }
    default:
      return assertNever(name, 'movement command');
  }
}

function buildDecision(x: CommandInput<'record_issuance_decision'>): LedgerCommand {
  const lines: AllocationLineInput[] = x.lines.map((line) => ({
    registry: need(parseRegistryId(line.registry)),
    account: need(parseAccountId(line.account)),
    vintage: need(parseVintage(line.vintage)),
    quantity: need(parseQuantity(line.quantity)),
  }));
  const base = {
    type: 'record_issuance_decision' as const,
    decision: need(parseDecisionId(x.decision)),
    project: need(parseProjectRef(x.project)),
    verificationReference: x.verification.reference,
    verifiedReductions: x.verification.reductions.map((r) => ({
      vintage: need(parseVintage(r.vintage)),
      quantity: need(parseQuantity(r.quantity)),
    })),
    lines,
  };
  return x.serialFirst === undefined
    ? base
    : { ...base, serialFirst: need(parseSerial(x.serialFirst)) };
}

function buildSelection(selection: SelectionInput): Selection {
  if ('quantity' in selection) {
    const project =
      selection.project === undefined ? undefined : need(parseProjectRef(selection.project));
    const vintage =
      selection.vintage === undefined ? undefined : need(parseVintage(selection.vintage));
    return {
      kind: 'quantity',
      quantity: need(parseQuantity(selection.quantity)),
      ...(project === undefined ? {} : { project }),
      ...(vintage === undefined ? {} : { vintage }),
    };
  }
  const ranges: { project: ProjectRef; serials: { first: bigint; last: bigint } }[] =
    'ranges' in selection
      ? selection.ranges.map((r) => ({
          project: need(parseProjectRef(r.project)),
          serials: { first: need(parseSerial(r.first)), last: need(parseSerial(r.last)) },
        }))
      : selection.blocks.map((id) => {
          const block = need(parseBlockId(id));
          return { project: block.project, serials: block.serials };
        });
  if (ranges.length > rangesPerRequestMax)
    need(reject('too_many_ranges', `at most ${rangesPerRequestMax} serial ranges per request`));
  for (const r of ranges) {
    if (r.serials.first > r.serials.last)
      need(
        reject(
          'serial_range_reversed',
          `range ${r.serials.first}-${r.serials.last} has first > last`,
        ),
      );
  }
  for (const project of new Set(ranges.map((r) => r.project))) {
    if (anyOverlap(ranges.filter((r) => r.project === project).map((r) => r.serials)))
      need(reject('serial_ranges_overlap', `the ranges of ${project} overlap`));
  }
  return { kind: 'ranges', ranges };
}

function parsePurpose(raw: string): Result<RetirementPurpose> {
  return (retirementPurposes as readonly string[]).includes(raw)
    ? ok(raw as RetirementPurpose)
    : reject(
        'retirement_purpose_unknown',
        `"${raw.slice(0, 64)}" is not one of ${retirementPurposes.join(', ')}`,
      );
}

/** A selection from wire input, each bad value refused with its own code. */
export function parseSelection(selection: SelectionInput): Result<Selection> {
  try {
    return ok(buildSelection(selection));
  } catch (error) {
    if (error instanceof Bad) return error.result;
    throw error;
  }
}
