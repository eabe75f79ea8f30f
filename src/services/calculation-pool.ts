// A bounded pool of calculation workers (node:worker_threads, issue 12): at most `workers` files are
// read and calculated at once, each in a thread with a heap limit and a time limit, and at most
// `queue` more wait; beyond that the caller is told to come back (`calculation_busy`). A worker
// that runs out of time or memory is terminated and replaced, and the server's event loop never
// parses a spreadsheet. The worker file is found beside this one, as .ts (run with tsx) or as .js
// (compiled), so that both keep working.
import { Worker } from 'node:worker_threads';
import type { CompiledMethodology } from '../core/methodology/compile.ts';
import { refusedWith, type Calculated, type MonitoringInput } from './calculation.ts';
import type { CalculationAnswer, CalculationJob } from './calculation-worker.ts';

export interface PoolOptions {
  /** Workers that calculate at once. */
  readonly workers: number;
  /** Calculations that may wait for a worker. */
  readonly queue: number;
  /** A calculation running longer is stopped. */
  readonly timeoutMs: number;
  /** Heap of one worker (V8's old generation), in MB. */
  readonly memoryMb: number;
  /** Seconds a refused caller is asked to wait (Retry-After). */
  readonly retryAfterSeconds: number;
}

export const defaultPoolOptions: PoolOptions = {
  workers: 1,
  queue: 4,
  timeoutMs: 60_000,
  memoryMb: 1024,
  retryAfterSeconds: 5,
};

/** The options from the environment (`JCM_CALC_*`, see docs/OPERATIONS.md), defaults otherwise. */
export function poolOptionsFrom(env: Readonly<Record<string, string | undefined>>): PoolOptions {
  const int = (name: string, fallback: number, min: number) => {
    const value = Number(env[name]);
    return Number.isInteger(value) && value >= min ? value : fallback;
  };
  const d = defaultPoolOptions;
  return {
    workers: int('JCM_CALC_WORKERS', d.workers, 1),
    queue: int('JCM_CALC_QUEUE', d.queue, 0),
    timeoutMs: int('JCM_CALC_TIMEOUT_S', d.timeoutMs / 1000, 1) * 1000,
    memoryMb: int('JCM_CALC_WORKER_MEMORY_MB', d.memoryMb, 64),
    retryAfterSeconds: d.retryAfterSeconds,
  };
}

interface Pending {
  readonly job: CalculationJob;
  readonly transfer: ArrayBuffer[];
  readonly resolve: (calculated: Calculated) => void;
  /** A bug in the worker (an exception, a crash): the caller's request fails as a server error. */
  readonly reject: (error: Error) => void;
}

interface Slot {
  worker: Worker | null;
  running: (Pending & { timer: NodeJS.Timeout }) | null;
}

/**
 * The worker's module: beside this file, with this file's extension. From the TypeScript sources
 * the thread first registers tsx's loader (an `--import` in a worker's execArgv is not honoured by
 * Node 20), then imports the module.
 */
function spawn(memoryMb: number): Worker {
  const typescript = import.meta.url.endsWith('.ts');
  const url = new URL(`./calculation-worker.${typescript ? 'ts' : 'js'}`, import.meta.url);
  const options = {
    resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: 32 },
    execArgv: [],
  };
  if (!typescript) return new Worker(url, options);
  // tsx's ESM API (the require condition would give its CommonJS twin).
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

export class CalculationPool {
  private readonly slots: Slot[];
  private readonly waiting: Pending[] = [];
  private nextId = 1;

  constructor(private readonly options: PoolOptions = defaultPoolOptions) {
    this.slots = Array.from({ length: options.workers }, () => ({ worker: null, running: null }));
  }

  /**
   * Calculates in a worker; refuses at once when every worker is busy and the queue is full, and
   * when the calculation runs out of time or memory. A bug in the worker rejects (a 500, logged).
   */
  run(methodology: CompiledMethodology, input: MonitoringInput): Promise<Calculated> {
    return new Promise((resolve, reject) => {
      const job: CalculationJob = { id: this.nextId++, file: methodology.file, input };
      const transfer = input.kind === 'xlsx' ? [copyOf(input.bytes)] : ([] as ArrayBuffer[]);
      const pending: Pending = {
        job:
          input.kind === 'xlsx'
            ? { ...job, input: { kind: 'xlsx', bytes: new Uint8Array(transfer[0]!) } }
            : job,
        transfer,
        resolve,
        reject,
      };
      const idle = this.slots.find((s) => s.running === null);
      if (idle !== undefined) this.start(idle, pending);
      else if (this.waiting.length < this.options.queue) this.waiting.push(pending);
      else resolve(this.busy());
    });
  }

  /** Stops every worker (the platform's close). */
  async close(): Promise<void> {
    for (const pending of this.waiting.splice(0)) pending.resolve(this.busy());
    await Promise.all(
      this.slots.map(async (slot) => {
        const worker = slot.worker;
        slot.worker = null;
        if (worker !== null) await worker.terminate();
      }),
    );
  }

  private busy(): Calculated {
    return refusedWith({
      code: 'calculation_busy',
      message: 'every calculation worker is busy; try again later',
      details: { retryAfterSeconds: this.options.retryAfterSeconds },
    });
  }

  private start(slot: Slot, pending: Pending): void {
    const worker = slot.worker ?? this.attach(slot);
    worker.ref();
    const timer = setTimeout(
      () =>
        this.fail(slot, {
          code: 'calculation_limit_exceeded',
          message: `the calculation took longer than ${this.options.timeoutMs / 1000} s and was stopped`,
        }),
      this.options.timeoutMs,
    );
    slot.running = { ...pending, timer };
    worker.postMessage(pending.job, pending.transfer);
  }

  private attach(slot: Slot): Worker {
    const worker = spawn(this.options.memoryMb);
    slot.worker = worker;
    worker.on('message', (answer: CalculationAnswer) => {
      if (slot.running?.job.id !== answer.id) return;
      if ('calculated' in answer) return this.finish(slot, answer.calculated);
      const error = new Error(`calculation worker: ${answer.failed.message}`);
      error.stack = answer.failed.stack;
      this.crash(slot, error);
    });
    worker.on('error', (error: Error & { code?: string }) => {
      if (slot.worker !== worker) return;
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY')
        this.fail(slot, {
          code: 'calculation_limit_exceeded',
          message: `the calculation needed more than ${this.options.memoryMb} MB and was stopped`,
        });
      else this.crash(slot, error);
    });
    worker.on('exit', (exitCode) => {
      if (slot.worker !== worker) return;
      this.crash(slot, new Error(`the calculation worker exited (code ${exitCode})`));
    });
    return worker;
  }

  private finish(slot: Slot, calculated: Calculated): void {
    this.settle(slot, (running) => running.resolve(calculated));
  }

  private settle(slot: Slot, answer: (running: Pending) => void): void {
    const running = slot.running;
    if (running === null) return;
    clearTimeout(running.timer);
    slot.running = null;
    slot.worker?.unref();
    answer(running);
    const next = this.waiting.shift();
    if (next !== undefined) this.start(slot, next);
  }

  /** The running calculation refused, its worker terminated (a new one starts with the next job). */
  private fail(slot: Slot, refused: { code: 'calculation_limit_exceeded'; message: string }): void {
    this.retire(slot);
    this.finish(slot, refusedWith(refused));
  }

  /** A bug: the running calculation's caller gets the error, the worker is replaced. */
  private crash(slot: Slot, error: Error): void {
    this.retire(slot);
    this.settle(slot, (running) => running.reject(error));
  }

  private retire(slot: Slot): void {
    const worker = slot.worker;
    slot.worker = null;
    if (worker !== null) void worker.terminate();
  }
}

/** A copy of the bytes in their own buffer, to transfer to the worker. */
function copyOf(bytes: Uint8Array): ArrayBuffer {
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return copy;
}
