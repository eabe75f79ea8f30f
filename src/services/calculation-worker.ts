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

export interface CalculationAnswer {
  readonly id: number;
  readonly calculated: Calculated;
}

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

parentPort?.on('message', (job: CalculationJob) => {
  void calculateReport(methodologyOf(job.file), job.input).then((calculated) => {
    const answer: CalculationAnswer = { id: job.id, calculated };
    parentPort?.postMessage(answer);
  });
});
