// One way for a `jcm methodology` command to run (parse the global options, open the catalogue,
// run) and one way to look a methodology up, answering methodology_not_found when there is none.
import type { Command } from 'commander';
import type { CompiledMethodology } from '../core/methodology/compile.ts';
import type { MethodologyCatalogue } from '../services/methodology-catalogue.ts';
import { createOutput, type Output } from './output.ts';

export type MethodologyOpts = Record<string, unknown> & { json?: boolean; version?: string };

/** Turns a command body into a commander action; `args` are the command's positional arguments. */
export type CatalogueRun = (
  fn: (
    catalogue: MethodologyCatalogue,
    out: Output,
    opts: MethodologyOpts,
    args: string[],
  ) => Promise<void>,
) => (...args: unknown[]) => Promise<void>;

export function catalogueAction(openCatalogue: () => Promise<MethodologyCatalogue>): CatalogueRun {
  return (fn) =>
    async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const opts = command.optsWithGlobals<MethodologyOpts>();
      await fn(
        await openCatalogue(),
        createOutput(opts.json === true),
        opts,
        args.slice(0, -2) as string[],
      );
    };
}

export function lookupMethodology(
  catalogue: MethodologyCatalogue,
  out: Output,
  id: string,
  version?: string,
): CompiledMethodology | undefined {
  const found = catalogue.get(id, version);
  if (found === undefined) {
    out.rejection({
      code: 'methodology_not_found',
      message: `no methodology ${id}${version === undefined ? '' : ` version ${version}`}`,
    });
  }
  return found;
}
