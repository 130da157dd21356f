import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Where a webhook may be sent (SSRF). A subscription URL naming — or resolving to — a loopback,
 * private, link-local (cloud metadata), shared, reserved or multicast address is refused unless
 * the configuration allows private targets. The check runs when a subscription is created or
 * changed and again at every delivery, on the addresses actually connected to (`guardedLookup`),
 * so a name that later resolves elsewhere (DNS rebinding) is refused then. Redirects are never
 * followed.
 */
const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  // IPv4-mapped (::ffff:0:0/96) and NAT64 (64:ff9b::/96) addresses are judged by the IPv4
  // address inside them (embeddedIpv4): BlockList would match every IPv4 address against them.
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, bits, 'ipv6');
}

/** The eight 16-bit groups of an IPv6 address (which `isIP` has accepted), a dotted IPv4 tail included. */
function hextets(ip: string): number[] {
  let text = ip.toLowerCase().split('%')[0]!;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === null ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((h) => parseInt(h, 16));
}

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) address, if any. */
function embeddedIpv4(ip: string): string | null {
  const h = hextets(ip);
  const mapped = h.slice(0, 5).every((x) => x === 0) && h[5] === 0xffff;
  const nat64 = h[0] === 0x64 && h[1] === 0xff9b && h.slice(2, 6).every((x) => x === 0);
  if (!mapped && !nat64) return null;
  return [h[6]! >> 8, h[6]! & 255, h[7]! >> 8, h[7]! & 255].join('.');
}

/** True for any address a webhook must not reach unless private targets are allowed. */
export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return blocked.check(ip, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(ip);
    return (v4 !== null && blocked.check(v4, 'ipv4')) || blocked.check(ip, 'ipv6');
  }
  return true; // not an address at all: never trusted
}

export interface TargetPolicy {
  allowPrivate: boolean;
  requireHttps: boolean;
}

export type TargetCheck = { ok: true; url: URL } | { ok: false; message: string };

/** The URL's own shape (no DNS): scheme, no credentials, a host. */
export function checkUrlShape(raw: string, policy: TargetPolicy): TargetCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, message: 'is not an absolute URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, message: 'must be an http(s) URL' };
  if (policy.requireHttps && url.protocol !== 'https:') return { ok: false, message: 'must be an https URL' };
  if (url.username || url.password) return { ok: false, message: 'must not carry credentials' };
  if (url.hash) return { ok: false, message: 'must not have a fragment' };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host) return { ok: false, message: 'needs a host' };
  if (isIP(host) && isPrivateAddress(host) && !policy.allowPrivate) return { ok: false, message: 'points to a private or loopback address' };
  return { ok: true, url };
}

/** The shape, then every address the host resolves to. */
export async function checkTarget(raw: string, policy: TargetPolicy): Promise<TargetCheck> {
  const shape = checkUrlShape(raw, policy);
  if (!shape.ok || policy.allowPrivate) return shape;
  const host = shape.url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return shape;
  const addresses = await new Promise<LookupAddress[] | null>((resolve) => dnsLookup(host, { all: true }, (err, a) => resolve(err ? null : a)));
  if (!addresses?.length) return { ok: false, message: 'has a host name that does not resolve' };
  if (addresses.some((a) => isPrivateAddress(a.address))) return { ok: false, message: 'resolves to a private or loopback address' };
  return shape;
}

/** A `lookup` for http(s).request that refuses private addresses (unless allowed). */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses;
      const bad = !allowPrivate && list.some((a) => isPrivateAddress(a.address));
      if (bad || !list.length) {
        const e = new Error(`refused: ${hostname} resolves to a private or loopback address`) as NodeJS.ErrnoException;
        e.code = 'EWEBHOOKTARGET';
        return callback(e, []);
      }
      if (options.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}
