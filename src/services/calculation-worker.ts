// The calculation worker (a node:worker_threads thread started by calculation-pool.ts): it compiles
// the methodology it is sent (once per id and version), reads the file and calculates, so that
// ExcelJS and the evaluator never block the server's event loop. Its heap and time are limited by
// the pool.
import { parentPort } from 'node:worker_threads';
import { compileMethodology, type CompiledMethodology } from '../core/methodology/compile.ts';
import type { MethodologyFile } from '../core/methodology/format.ts';
import { calculateReport, type Calculated, type MonitoringInput } from './calculation.ts';

export interface CalculationJob {
  readonly id: number;
  readonly file: MethodologyFile;
  readonly input: MonitoringInput;
}

/** The calculation's result, or the failure of a bug (an exception), which the pool rethrows. */
export type CalculationAnswer =
  | { readonly id: number; readonly calculated: Calculated }
  | { readonly id: number; readonly failed: { readonly message: string; readonly stack: string } };

const compiled = new Map<string, CompiledMethodology>();

function methodologyOf(file: MethodologyFile): CompiledMethodology {
  const key = `${file.id} ${file.version}`;
  let found = compiled.get(key);
  if (found === undefined) {
    const result = compileMethodology(file);
    if (!result.ok) throw new Error(`${key} does not compile in the worker`);
    found = result.value;
    compiled.set(key, found);
  }
  return found;
}

async function answerOf(job: CalculationJob): Promise<CalculationAnswer> {
  try {
    return { id: job.id, calculated: await calculateReport(methodologyOf(job.file), job.input) };
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    return { id: job.id, failed: { message: failure.message, stack: failure.stack ?? '' } };
  }
}

parentPort?.on('message', (job: CalculationJob) => {
  void answerOf(job).then((answer) => parentPort?.postMessage(answer));
});
