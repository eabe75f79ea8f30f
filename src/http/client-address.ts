// The address a request comes from, for the login rate limit: the socket's remote address, which the
// client cannot choose. `X-Forwarded-For` is believed only when the socket is a proxy the deployment
// lists in JCM_TRUSTED_PROXIES (IPs and CIDR ranges, comma-separated); then the client is the
// right-most address of the header that is not itself a trusted proxy (each proxy appends the address
// it saw, so whatever a client writes stays on the left). An IPv6 client is keyed on its /64, which
// one subscriber holds whole.
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { BlockList, isIP } from 'node:net';

export interface TrustedProxies {
  readonly list: BlockList;
  /** As configured, for logs. */
  readonly text: string;
}

/** The proxies of JCM_TRUSTED_PROXIES (`192.0.2.1, 10.0.0.0/8, 2001:db8::/32`); throws on a bad entry. */
export function parseTrustedProxies(text: string): TrustedProxies {
  const list = new BlockList();
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '')) {
    const [address = '', bits, extra] = entry.split('/');
    const family = isIP(address);
    const prefix = bits === undefined ? null : Number(bits);
    const prefixMax = family === 6 ? 128 : 32;
    if (
      family === 0 ||
      extra !== undefined ||
      (prefix !== null && (!/^\d{1,3}$/.test(bits ?? '') || prefix > prefixMax))
    )
      throw new Error(`JCM_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`);
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (prefix === null) list.addAddress(address, type);
    else list.addSubnet(address, prefix, type);
  }
  return { list, text };
}

/** An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) as the IPv4 address it is. */
function plain(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped?.[1] ?? address;
}

function isTrusted(proxies: TrustedProxies, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && proxies.list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** The eight groups of an IPv6 address, expanded (`2001:db8::1` -> 2001, db8, 0, ..., 1). */
function ipv6Groups(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...zeros, ...right].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}

/** The rate limit's key for an address: IPv4 as it is, IPv6 by its /64, anything else as given. */
export function addressKey(address: string): string {
  const bare = plain(address.trim());
  if (isIP(bare) !== 6) return bare.slice(0, 64);
  // An embedded IPv4 tail (`64:ff9b::192.0.2.1`) is in the low 64 bits: the /64 ignores it.
  return `${ipv6Groups(bare.replace(/:\d+\.\d+\.\d+\.\d+$/, ':0:0'))
    .slice(0, 4)
    .join(':')}::/64`;
}

/** The socket's remote address as @hono/node-server hands it to the app; empty when there is none. */
function socketAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? '';
  } catch {
    // No socket: the app was called without node:http (a test's app.request without one).
    return '';
  }
}

/** Whether the socket's peer address is a proxy listed in JCM_TRUSTED_PROXIES (whose headers count). */
export function peerIsTrustedProxy(address: string, proxies: TrustedProxies | null): boolean {
  const peer = plain(address);
  return proxies !== null && peer !== '' && isTrusted(proxies, peer);
}

/** Whether the request of a context came over TLS (requestOverTls). */
export function contextOverTls(c: Context, proxies: TrustedProxies | null): boolean {
  return requestOverTls(
    c.req.url.startsWith('https:'),
    c.req.header('x-forwarded-proto'),
    socketAddress(c),
    proxies,
  );
}

/**
 * Whether a request came over TLS: on a TLS socket, or from a trusted proxy whose
 * X-Forwarded-Proto says https. One rule for the application and the read cache.
 */
export function requestOverTls(
  direct: boolean,
  forwardedProto: string | undefined,
  peer: string,
  proxies: TrustedProxies | null,
): boolean {
  return direct || (forwardedProto === 'https' && peerIsTrustedProxy(peer, proxies));
}

/** The client's address, as the rate limit's key (see the file's comment). */
export function clientAddress(c: Context, proxies: TrustedProxies | null): string {
  const peer = plain(socketAddress(c));
  if (peer === '') return 'unknown';
  if (proxies === null || !isTrusted(proxies, peer)) return addressKey(peer);
  const hops = c.req
    .header('x-forwarded-for')
    ?.split(',')
    .map((h) => plain(h.trim()))
    .filter((h) => h !== '');
  if (hops === undefined || hops.length === 0) return addressKey(peer);
  for (let i = hops.length - 1; i >= 0; i -= 1) {
    const hop = hops[i] ?? '';
    if (!isTrusted(proxies, hop)) return addressKey(hop);
  }
  // Every hop is a proxy of ours: the left-most is the one nearest the client.
  return addressKey(hops[0] ?? peer);
}
