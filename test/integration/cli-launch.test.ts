// The `jcm` command as a newcomer calls it: bin/jcm through a symlink in another folder (as npm link
// and npx install it) and `npx --no-install jcm` in the repository both find the compiled program.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'jcm-launch-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the jcm command', () => {
  it('runs through a symlink from another folder', async () => {
    const link = join(scratch, 'bin', 'jcm');
    await run('mkdir', ['-p', join(scratch, 'bin')]);
    symlinkSync(join(root, 'bin', 'jcm'), link);
    const { stdout } = await run(link, ['methodology', 'list'], { cwd: scratch });
    expect(stdout).toContain('CL_AM001');
  }, 120_000);

  it('runs as `npx --no-install jcm` in the repository', async () => {
    const { stdout } = await run('npx', ['--no-install', 'jcm', 'methodology', 'list'], {
      cwd: root,
    });
    expect(stdout).toContain('CL_AM001');
  }, 120_000);
});
