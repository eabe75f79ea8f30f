// What bench:api and bench:api-path share: the server processes they start, stopped when the bench
// ends (even when it fails), and the median of a round's figures.
import type { ChildProcess } from 'node:child_process';

/** The bench's child servers: each is killed when the bench's process exits. */
export const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const child of children) child.kill('SIGTERM');
});

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
