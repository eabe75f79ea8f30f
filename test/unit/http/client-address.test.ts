// The login rate limit's key: the socket's address, X-Forwarded-For only from configured proxies
// (the right-most hop that is not one of them), IPv6 by its /64. One row per case.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import {
  addressKey,
  clientAddress,
  parseTrustedProxies,
  type TrustedProxies,
} from '../../../src/http/client-address.ts';

async function keyOf(
  proxies: TrustedProxies | null,
  socket: string | null,
  forwardedFor?: string,
): Promise<string> {
  const app = new Hono();
  app.get('/', (c) => c.text(clientAddress(c, proxies)));
  const env = socket === null ? undefined : { incoming: { socket: { remoteAddress: socket } } };
  const headers: Record<string, string> =
    forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor };
  return (await app.request('/', { headers }, env)).text();
}

const proxies = parseTrustedProxies('192.0.2.1, 10.1.0.0/16, 2001:db8:ffff::/48');

describe('the client address of a request', () => {
  it.each([
    [
      'no proxies: the socket, whatever the header says',
      null,
      '198.51.100.7',
      '203.0.113.9',
      '198.51.100.7',
    ],
    ['no proxies, no header', null, '198.51.100.8', undefined, '198.51.100.8'],
    [
      'an IPv4-mapped socket address is the IPv4 address',
      null,
      '::ffff:198.51.100.9',
      undefined,
      '198.51.100.9',
    ],
    [
      'a socket that is not a proxy: the header counts for nothing',
      proxies,
      '198.51.100.7',
      '203.0.113.9',
      '198.51.100.7',
    ],
    ['a proxy without a header: the proxy', proxies, '192.0.2.1', undefined, '192.0.2.1'],
    ['a proxy: the right-most hop', proxies, '192.0.2.1', '203.0.113.9', '203.0.113.9'],
    [
      'a proxy: what the client prepended stays on the left',
      proxies,
      '192.0.2.1',
      '1.2.3.4, 203.0.113.9',
      '203.0.113.9',
    ],
    [
      'a proxy: hops that are proxies are skipped',
      proxies,
      '10.1.0.5',
      '1.2.3.4, 203.0.113.9, 10.1.2.3, 192.0.2.1',
      '203.0.113.9',
    ],
    [
      'a proxy: every hop a proxy, the left-most',
      proxies,
      '192.0.2.1',
      '10.1.0.9, 10.1.0.8',
      '10.1.0.9',
    ],
    ['an IPv6 proxy range', proxies, '2001:db8:ffff:1::2', '203.0.113.10', '203.0.113.10'],
    [
      'an IPv6 client, keyed on its /64',
      null,
      '2001:db8:1:2:3:4:5:6',
      undefined,
      '2001:db8:1:2::/64',
    ],
    ['no socket (called without node:http)', proxies, null, '203.0.113.9', 'unknown'],
  ])('%s', async (_case, trusted, socket, header, expected) => {
    expect(await keyOf(trusted, socket, header)).toBe(expected);
  });

  it('keys every address of one IPv6 /64 alike, and different /64s apart', () => {
    expect(addressKey('2001:db8:0:1::1')).toBe(addressKey('2001:0db8:0000:0001:ffff::9'));
    expect(addressKey('2001:db8:0:1::1')).not.toBe(addressKey('2001:db8:0:2::1'));
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });

  it('refuses a configuration that is not a list of addresses and ranges', () => {
    for (const bad of [
      'proxy.example',
      '10.0.0.0/33',
      '10.0.0.0/8/1',
      '2001:db8::/129',
      '1.2.3.4/x',
    ])
      expect(() => parseTrustedProxies(bad), bad).toThrow(/JCM_TRUSTED_PROXIES/);
    expect(parseTrustedProxies(' ').list.rules).toEqual([]);
  });
});
