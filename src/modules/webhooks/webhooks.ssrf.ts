import { lookup } from 'node:dns/promises'
import { isIP, type LookupFunction } from 'node:net'
import dns from 'node:dns'
import ipaddr from 'ipaddr.js'

/** Global unicast IPv6 space (RFC 4291): everything else (::/96, fec0::/10, 100::/64…) is refused. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3')

/**
 * True unless the address is global unicast: an IPv4 address outside every special-purpose block
 * (private, loopback, link-local, shared, documentation, benchmarking, 6to4 relay, multicast,
 * reserved, broadcast), or an IPv6 address inside 2000::/3 and outside its special-purpose blocks
 * (2001::/23 with Teredo, 2001:db8::/32, 2002::/16 6to4, 3fff::/20, 5f00::/16). An IPv4-mapped
 * address (::ffff:a.b.c.d) is judged as the IPv4 address it carries. `ipaddr.js` names the
 * special-purpose blocks (IANA registries): `range()` is 'unicast' only outside all of them.
 */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '')
  if (isIP(bare) === 0 || bare.includes('%')) return true
  let parsed = ipaddr.parse(bare)
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address()
  if (parsed.range() !== 'unicast') return true
  return parsed.kind() === 'ipv6' && !(parsed as ipaddr.IPv6).match(GLOBAL_UNICAST_V6)
}

export type UrlVerdict = { ok: true } | { ok: false; reason: string }

/**
 * Checks a webhook URL: http(s) only, and every address its host resolves to must be public.
 * Run at creation and again before each delivery (the DNS answer may have changed since).
 */
export async function checkWebhookUrl(raw: string, allowPrivate: boolean): Promise<UrlVerdict> {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return { ok: false, reason: 'must be an absolute URL' }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, reason: 'must use http or https' }
  }
  if (url.username || url.password) return { ok: false, reason: 'must not carry credentials' }
  if (allowPrivate) return { ok: true }
  const host = url.hostname.replace(/^\[|\]$/g, '')
  let addresses: string[]
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address)
  } catch {
    return { ok: false, reason: 'host does not resolve' }
  }
  if (addresses.length === 0 || addresses.some(isPrivateAddress)) {
    return { ok: false, reason: 'resolves to a loopback, link-local or private address' }
  }
  return { ok: true }
}

/**
 * A `lookup` for the HTTP client that refuses private answers at connect time, so a DNS answer
 * that changes between the check and the connection (rebinding) still cannot reach inside.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '', 0)
    const list = addresses as dns.LookupAddress[]
    if (list.length === 0 || list.some((a) => isPrivateAddress(a.address))) {
      const refused = Object.assign(new Error(`${hostname} resolves to a private address`), {
        code: 'EWEBHOOKPRIVATE',
      })
      return callback(refused, '', 0)
    }
    if (options.all) return callback(null, list as unknown as string, 0)
    const first = list[0]!
    callback(null, first.address, first.family)
  })
}
