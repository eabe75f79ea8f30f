// The federation file (JCM_FEDERATION): what it must say, what stops the start, and that the key's
// content never appears in an error; and how the delivery worker reads the receiver's answers.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  federationFileProblem,
  loadFederationConfig,
  type FederationFile,
} from '../../../src/services/federation-config.ts';
import { replyOf } from '../../../src/services/federation-delivery.ts';
import { runCli } from '../../support/cli.ts';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

const file = (over: Partial<FederationFile> = {}): FederationFile => ({
  self: 'jp',
  registries: ['JP'],
  signingKey: { keyId: 'jp-1', privateKeyFile: 'jp.pem' },
  peers: [
    {
      id: 'in',
      url: 'https://registry.in.example/',
      registries: ['IN'],
      keys: [{ keyId: 'in-1', publicKey: spki, validFrom: '2026-01-01T00:00:00Z' }],
    },
  ],
  ...over,
});

function folderWith(content: unknown, key: string = pem): string {
  const dir = mkdtempSync(join(tmpdir(), 'jcm-federation-'));
  writeFileSync(join(dir, 'jp.pem'), key, { mode: 0o600 });
  writeFileSync(join(dir, 'federation.json'), JSON.stringify(content));
  return join(dir, 'federation.json');
}

describe('the federation file', () => {
  it('loads: the key relative to the file, its public half derived, the URL without a trailing slash', async () => {
    const config = await loadFederationConfig(folderWith(file()));
    expect(config.self).toBe('jp');
    expect(config.publicKey).toBe(spki);
    expect(config.peers[0]?.url).toBe('https://registry.in.example');
  });

  it.each([
    ['a peer with its own id', file({ peers: [{ ...file().peers[0]!, id: 'jp' }] }), /own id/],
    ['a registry hosted twice', file({ registries: ['JP', 'IN'] }), /hosted by two/],
    ['two peers with one id', file({ peers: [file().peers[0]!, file().peers[0]!] }), /same id/],
    [
      'a key id listed twice',
      file({
        peers: [
          { ...file().peers[0]!, keys: [...file().peers[0]!.keys, ...file().peers[0]!.keys] },
        ],
      }),
      /lists a key id twice/,
    ],
    [
      'a key that ends before it begins',
      file({
        peers: [
          {
            ...file().peers[0]!,
            keys: [
              {
                keyId: 'in-1',
                publicKey: spki,
                validFrom: '2027-01-01T00:00:00Z',
                validUntil: '2026-01-01T00:00:00Z',
              },
            ],
          },
        ],
      }),
      /ends before it begins/,
    ],
  ])('refuses %s', (_what, content, message) => {
    expect(federationFileProblem(content)).toMatch(message);
  });

  it.each([
    ['not JSON', '{', /not a readable JSON file/],
    ['an unknown field', { ...file(), extra: 1 }, /Unrecognized key/],
    ['an upper-case deployment id', { ...file(), self: 'JP' }, /self/],
    [
      'a peer over plain http to another machine',
      { ...file(), peers: [{ ...file().peers[0]!, url: 'http://registry.in.example' }] },
      /url/,
    ],
    [
      'a peer URL that is not http(s)',
      { ...file(), peers: [{ ...file().peers[0]!, url: 'ftp://x.example' }] },
      /url/,
    ],
  ])('stops the start on %s', async (_what, content, message) => {
    const path = folderWith(content);
    if (typeof content === 'string') writeFileSync(path, content);
    await expect(loadFederationConfig(path)).rejects.toThrow(message);
  });

  it('refuses a key that is not Ed25519, and never prints a key', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const error = await loadFederationConfig(folderWith(file(), rsa)).catch((e: Error) => e);
    expect(String(error)).toMatch(/not an Ed25519 key/);
    expect(String(error)).not.toContain('PRIVATE KEY');
    const garbage = await loadFederationConfig(folderWith(file(), 'not a key')).catch(
      (e: Error) => e,
    );
    expect(String(garbage)).toMatch(/not a readable PEM private key/);
    expect(String(garbage)).not.toContain('not a key');
  });
});

describe("the receiver's answers, as the delivery worker reads them", () => {
  const answer = (status: number, body: unknown) =>
    new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  it.each([
    [200, { outcome: 'applied', acknowledged: '5' }, { kind: 'acknowledged', sequence: 5n }],
    // Past the message sent (held ones applied after it, or a lie): believed up to that message only.
    [200, { outcome: 'applied', acknowledged: '7' }, { kind: 'acknowledged', sequence: 5n }],
    [200, { outcome: 'acknowledged', acknowledged: '4' }, { kind: 'unreachable' }],
    [409, { code: 'message_sequence_gap', details: { expected: '5' } }, { kind: 'unreachable' }],
    [403, { code: 'Message Signature\u001b' }, { kind: 'unreachable' }],
    [
      409,
      { code: 'message_sequence_gap', details: { expected: '3' } },
      { kind: 'gap', expected: 3n },
    ],
    [
      403,
      { code: 'message_signature_invalid' },
      { kind: 'refused', sequence: 5n, code: 'message_signature_invalid' },
    ],
    [
      422,
      { code: 'message_kind_unsupported' },
      { kind: 'refused', sequence: 5n, code: 'message_kind_unsupported' },
    ],
    [503, { code: 'database_unavailable' }, { kind: 'unreachable' }],
    [429, { code: 'rate_limited' }, { kind: 'unreachable' }],
    [502, '<html>bad gateway</html>', { kind: 'unreachable' }],
    [200, { outcome: 'applied', acknowledged: 7 }, { kind: 'unreachable' }],
    [409, { code: 'message_sequence_gap', details: {} }, { kind: 'unreachable' }],
    [404, '<html>not here</html>', { kind: 'unreachable' }],
  ])('%i %j', async (status, body, reply) => {
    expect(await replyOf(5n, answer(status, body))).toEqual(reply);
  });
});

it.each([
  'https://registry.in.example',
  'http://localhost:4000',
  'http://127.0.0.1:4000',
  'http://[::1]:4000',
])('accepts the peer address %s', async (url) => {
  const config = await loadFederationConfig(
    folderWith({ ...file(), peers: [{ ...file().peers[0]!, url }] }),
  );
  expect(config.peers[0]?.url).toBe(url);
});

describe('jcm federation keygen', () => {
  it('writes the private key for its owner only, prints the public key, and never overwrites', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jcm-keygen-'));
    const keyFile = join(dir, 'jp.pem');
    const made = await runCli({}, '--json', 'federation', 'keygen', keyFile);
    expect(made.exitCode).toBe(0);
    const answer = JSON.parse(made.out) as { publicKey: string; privateKeyFile: string };
    expect(made.out).not.toContain('PRIVATE KEY');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    // The key file and the printed public key make a working configuration.
    writeFileSync(
      join(dir, 'federation.json'),
      JSON.stringify(file({ signingKey: { keyId: 'jp-1', privateKeyFile: 'jp.pem' } })),
    );
    const config = await loadFederationConfig(join(dir, 'federation.json'));
    expect(config.publicKey).toBe(answer.publicKey);
    const again = await runCli({}, '--json', 'federation', 'keygen', keyFile);
    expect(again.exitCode).not.toBe(0);
    expect(again.out + again.err).toContain('EEXIST');
    expect((await loadFederationConfig(join(dir, 'federation.json'))).publicKey).toBe(
      answer.publicKey,
    );
  });
});
