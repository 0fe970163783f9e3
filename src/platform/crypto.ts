import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto'

/** SHA-256 of the UTF-8 text, hex. Enough for tokens of 256 random bits; never for passwords. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/**
 * Whether the token hashes to `storedHex`. Both sides are SHA-256 digests of equal length, so the
 * compare is constant-time and leaks neither the stored hash nor the token's length.
 */
export function tokenMatches(token: string | undefined, storedHex: string | null | undefined) {
  if (!token || !storedHex) return false
  const expected = Buffer.from(storedHex, 'hex')
  const actual = createHash('sha256').update(token).digest()
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/** `prefix` + base64url of `bytes` random bytes (32 bytes: 43 characters). */
export function randomToken(prefix = '', bytes = 32): string {
  return prefix + randomBytes(bytes).toString('base64url')
}

/** One AES-256 key; `id` is written into every value it seals, so keys can rotate. */
export interface SecretKey {
  id: string
  /** 32 bytes, base64. */
  key: string
}

/**
 * A secret key from a configured base64 value, named by a fingerprint of itself (so the same
 * configured key always gets the same id and needs no name of its own in the environment).
 */
export function secretKeyFromBase64(base64: string): SecretKey {
  const id = createHash('sha256').update(Buffer.from(base64, 'base64')).digest('base64url')
  return { id: id.slice(0, 8), key: base64 }
}

export interface SecretBoxOptions {
  /** The first key seals; any of them opens. Empty: values are stored as `plain.`. */
  keys: SecretKey[]
  /** What the box holds (`mfa`, `webhooks`): in error messages and in the authenticated data. */
  label: string
}

/**
 * Seals secrets at rest with AES-256-GCM, each bound to a context (the owning row's id: a value
 * copied to another row does not open).
 *
 * Stored formats, all dot-separated, binary parts base64url:
 * - `v2.<keyId>.<iv>.<ciphertext>.<tag>`: written today. AAD is `<label>:<context>`, so a value
 *   from one box does not open in another.
 * - `v1.<iv>.<ciphertext>.<tag>`: written before keys had ids, AAD is `<context>`; opened by
 *   trying each key (GCM's tag rejects the wrong ones).
 * - `plain.<secret>`: written when no key is configured. The secret is everything after the
 *   first `plain.` (it may itself contain dots).
 */
export interface SecretBox {
  seal(context: string, secret: string): string
  open(context: string, stored: string): string
  /** Whether sealing again would change how `stored` is kept (clear or an older key; no key: never). */
  needsReseal(stored: string): boolean
}

const PLAIN = 'plain.'
const KEY_ID = /^[A-Za-z0-9_-]+$/

export function createSecretBox(options: SecretBoxOptions): SecretBox {
  const { label } = options
  const keys = options.keys.map(({ id, key }) => {
    const bytes = Buffer.from(key, 'base64')
    if (!KEY_ID.test(id)) throw new Error(`${label}: key id ${JSON.stringify(id)} is not base64url`)
    if (bytes.length !== 32) throw new Error(`${label}: key ${id} is not 32 bytes`)
    return { id, bytes }
  })
  const b64 = (s: string) => Buffer.from(s, 'base64url')

  function decrypt(key: Buffer, aad: string, iv: string, body: string, tag: string): string {
    const decipher = createDecipheriv('aes-256-gcm', key, b64(iv))
    decipher.setAAD(Buffer.from(aad)).setAuthTag(b64(tag))
    return Buffer.concat([decipher.update(b64(body)), decipher.final()]).toString('utf8')
  }

  return {
    seal(context, secret) {
      const key = keys[0]
      if (!key) return PLAIN + secret
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key.bytes, iv)
      cipher.setAAD(Buffer.from(`${label}:${context}`))
      const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()])
      const parts = [iv, body, cipher.getAuthTag()].map((p) => p.toString('base64url'))
      return ['v2', key.id, ...parts].join('.')
    },
    open(context, stored) {
      if (stored.startsWith(PLAIN)) return stored.slice(PLAIN.length)
      const parts = stored.split('.')
      if (parts[0] === 'v2' && parts.length === 5) {
        const [, id, iv, body, tag] = parts as [string, string, string, string, string]
        const key = keys.find((k) => k.id === id)
        if (!key)
          throw new Error(`${label}: secret is sealed with key ${id}, which is not configured`)
        return decrypt(key.bytes, `${label}:${context}`, iv, body, tag)
      }
      if (parts[0] === 'v1' && parts.length === 4) {
        const [, iv, body, tag] = parts as [string, string, string, string]
        if (keys.length === 0) throw new Error(`${label}: secret is sealed but no key is set`)
        for (const key of keys) {
          try {
            return decrypt(key.bytes, context, iv, body, tag)
          } catch {
            // The wrong key fails authentication; the next one may be the one that sealed it.
          }
        }
        throw new Error(`${label}: secret does not open with any configured key`)
      }
      throw new Error(`${label}: unknown secret format`)
    },
    needsReseal(stored) {
      const key = keys[0]
      return key !== undefined && !stored.startsWith(`v2.${key.id}.`)
    },
  }
}
