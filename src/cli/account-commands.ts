// `jcm admin create`, `jcm user ...`, `jcm token ...`: accounts from the operator's console on the
// server (which has the database anyway). Passwords come from JCM_PASSWORD or are generated and shown
// once; TOTP enrolment URIs and API tokens are shown once.
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import type { Platform } from '../services/platform.ts';
import type { Output } from './output.ts';
import { cliEnvelope, platformAction, type CliOpts } from './platform-action.ts';

export function registerAccountCommands(
  program: Command,
  openPlatform: () => Promise<Platform>,
): void {
  const run = platformAction(openPlatform);
  registerAdminCreate(program, run);
  registerUserCommands(program, run);
  registerTokenCommands(program, run);
}

/** A new password: the one in JCM_PASSWORD, or a random one. */
function password(): string {
  return process.env['JCM_PASSWORD'] ?? randomBytes(18).toString('base64url');
}

/** `a,b` as a list of roles. */
function roleList(text: unknown): string[] {
  return String(text ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
}

/** Prints a new user's credentials; the password only when it was generated. */
function created(out: Output, email: string, pw: string, totpUri: string | null): void {
  out.data(
    {
      email,
      password: process.env['JCM_PASSWORD'] === undefined ? pw : '(from JCM_PASSWORD)',
      totpUri,
    },
    () =>
      [
        `created ${email}`,
        process.env['JCM_PASSWORD'] === undefined
          ? `password (shown once): ${pw}`
          : 'password: the one in JCM_PASSWORD',
        totpUri === null
          ? ''
          : `second factor: add this to an authenticator app (shown once):\n  ${totpUri}`,
      ].join('\n'),
  );
}

/** `jcm admin create`: an administrator (there are no default credentials). */
function registerAdminCreate(program: Command, run: ReturnType<typeof platformAction>): void {
  program
    .command('admin')
    .description('administrators')
    .command('create <email>')
    .requiredOption('--name <name>')
    .option('--roles <roles>', 'roles besides administrator, e.g. registry_manager:JP', '')
    .description('create an administrator (there are no default credentials)')
    .action(
      run(async (platform, out, opts, [email]) => {
        const pw = password();
        const roles = [
          'administrator',
          ...String(opts.roles)
            .split(',')
            .filter((r) => r.trim() !== ''),
        ].join(',');
        const envelope = cliEnvelope(opts, {
          email: email as string,
          name: String(opts.name),
          password: pw,
          roles,
        });
        if (!envelope.ok) return out.rejection(envelope.error);
        const result = await platform.accounts.createUser(envelope.value);
        if (!result.ok) return out.rejection(result.error);
        created(out, email as string, pw, result.value.totpUri);
      }),
    );
}

/** `jcm user add` and `jcm user reset-password`. */
function registerUserCommands(program: Command, run: ReturnType<typeof platformAction>): void {
  const user = program.command('user').description('users');
  user
    .command('add <email>')
    .requiredOption('--name <name>')
    .requiredOption('--roles <roles>', 'e.g. project_participant:acme or secretariat:IN')
    .option('--organisation <id>')
    .option('--totp', 'enrol a second factor even where the roles do not require one')
    .action(
      run(async (platform, out, opts, [email]) => {
        const pw = password();
        const envelope = cliEnvelope(opts, {
          email: email as string,
          name: String(opts.name),
          password: pw,
          roles: String(opts.roles),
          ...(typeof opts.organisation === 'string' ? { organisation: opts.organisation } : {}),
          secondFactor: opts.totp === true,
        });
        if (!envelope.ok) return out.rejection(envelope.error);
        const result = await platform.accounts.createUser(envelope.value);
        if (!result.ok) return out.rejection(result.error);
        created(out, email as string, pw, result.value.totpUri);
      }),
    );
  user
    .command('roles <email>')
    .description('give a user roles and take roles away (administrators)')
    .option('--add <roles>', 'roles to give, e.g. registry_manager:JP', '')
    .option('--remove <roles>', 'roles to take away', '')
    .action(
      run(async (platform, out, opts, [email]) => {
        const envelope = cliEnvelope(opts, {
          email: String(email),
          add: roleList(opts.add),
          remove: roleList(opts.remove),
        });
        if (!envelope.ok) return out.rejection(envelope.error);
        const result = await platform.accounts.changeRoles(envelope.value);
        if (!result.ok) return out.rejection(result.error);
        out.data(
          result.value,
          () => `${result.value.email} holds: ${result.value.roles.join(', ') || '(no role)'}`,
        );
      }),
    );
  user.command('reset-password <email>').action(
    run(async (platform, out, opts, [email]) => {
      const pw = password();
      const envelope = cliEnvelope(opts, { email: email as string, password: pw });
      if (!envelope.ok) return out.rejection(envelope.error);
      const result = await platform.accounts.resetPassword(envelope.value);
      if (!result.ok) return out.rejection(result.error);
      out.data({ email, password: pw }, () => `new password for ${email} (shown once): ${pw}`);
    }),
  );
}

/** `jcm token create` and `jcm token revoke`: API tokens for machine clients. */
function registerTokenCommands(program: Command, run: ReturnType<typeof platformAction>): void {
  const tokens = program.command('token').description('API tokens for machine clients');
  tokens
    .command('create <email>')
    .option('--name <name>', 'what the token is for', 'cli')
    .option('--scopes <roles>', "a subset of the user's roles (default: all of them)")
    .option('--quiet', 'print the token alone, e.g. TOKEN=$(jcm token create ... --quiet)')
    .action(
      run(async (platform, out, opts, [email]) => {
        const scopes =
          typeof opts.scopes === 'string' ? opts.scopes.split(',').map((s) => s.trim()) : undefined;
        // The operator on the server issues the token for the user.
        const envelope = cliEnvelope(opts, {
          email: String(email),
          name: String(opts.name),
          ...(scopes === undefined ? {} : { scopes }),
        });
        if (!envelope.ok) return out.rejection(envelope.error);
        const result = await platform.accounts.issueApiToken(envelope.value);
        if (!result.ok) return out.rejection(result.error);
        if (opts.quiet === true && opts.json !== true)
          return void process.stdout.write(`${result.value.token}\n`);
        out.data(
          result.value,
          () => `API token ${result.value.id} (shown once): ${result.value.token}`,
        );
      }),
    );
  tokens.command('revoke <id>').action(
    run(async (platform, out, opts: CliOpts, [id]) => {
      const envelope = cliEnvelope(opts, { id });
      if (!envelope.ok) return out.rejection(envelope.error);
      const result = await platform.accounts.revokeApiToken(envelope.value);
      if (!result.ok) return out.rejection(result.error);
      out.data(result.value, () => `revoked ${result.value.id}`);
    }),
  );
}
