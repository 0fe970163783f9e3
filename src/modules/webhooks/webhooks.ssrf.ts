import { lookup } from 'node:dns/promises'
import { BlockList, isIP, type LookupFunction } from 'node:net'
import dns from 'node:dns'

/** Where a webhook must never go unless WEBHOOK_ALLOW_PRIVATE_NETWORKS is set. */
const blocked = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4')
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6')
}

/** True for loopback, link-local, private, shared, multicast and unspecified addresses. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '')
  // An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is the IPv4 address it carries.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)
  if (mapped?.[1]) return blocked.check(mapped[1], 'ipv4')
  const family = isIP(bare)
  if (family === 4) return blocked.check(bare, 'ipv4')
  if (family === 6) return blocked.check(bare, 'ipv6')
  return true
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
