// Runs the real server as a child process for system and browser tests: one node process with tsx
// as a loader (the tsx command would run the server in a child of its own, and SIGKILL would then
// kill only the wrapper and leave the server running), on a port nobody listens on.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

export interface Server {
  readonly child: ChildProcess;
  readonly port: number;
  /** What the server printed, to explain a start that fails. */
  readonly output: () => string;
}

/** A port nobody listens on now (the kernel picks it). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export function startServer(port: number, env: Record<string, string>): Server {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'src', 'main.ts'), 'serve'],
    {
      cwd: root,
      env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  return { child, port, output: () => output };
}

/** Waits for /ready; a slow start under a loaded CI machine is allowed a minute and a half. */
export async function waitReady(server: Server): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < 90_000) {
    if (server.child.exitCode !== null) {
      throw new Error(`the server exited with ${server.child.exitCode}:\n${server.output()}`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${server.port}/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server did not become ready in 90 s:\n${server.output()}`);
}

/** `jcm serve` on a free port, once it answers /ready, and its base address. */
export async function serveReady(
  env: Record<string, string>,
): Promise<{ server: Server; base: string }> {
  const server = startServer(await freePort(), env);
  await waitReady(server);
  return { server, base: `http://127.0.0.1:${server.port}` };
}
