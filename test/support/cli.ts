// Runs the `jcm` command line in-process and captures what it prints and its exit status.
import { vi } from 'vitest';
import { buildProgram, type CliDeps } from '../../src/cli/program.ts';
import {
  defaultMethodologiesDir,
  MethodologyCatalogue,
} from '../../src/services/methodology-catalogue.ts';

export interface CliRun {
  readonly out: string;
  readonly err: string;
  readonly exitCode: number;
}

const unused = async (): Promise<never> => {
  throw new Error('this test does not open the database');
};

export async function runCli(deps: Partial<CliDeps>, ...args: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const stdout = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk) => ((out += String(chunk)), true));
  const stderr = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk) => ((err += String(chunk)), true));
  process.exitCode = 0;
  try {
    const program = buildProgram({
      user: 'tester',
      openPlatform: unused,
      serve: async () => undefined,
      migrate: async () => [],
      openCatalogue: () => MethodologyCatalogue.load(defaultMethodologiesDir),
      ...deps,
    });
    program.exitOverride();
    await program.parseAsync(['node', 'jcm', ...args]);
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out, err, exitCode };
}
