import { randomUUID } from 'node:crypto'
import {
  SignJWT,
  calculateJwkThumbprint,
  errors as joseErrors,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  type CryptoKey,
  type JWK,
  type JWTHeaderParameters,
} from 'jose'
import { createSecretBox, type SecretKey } from '../../../platform/crypto.js'
import {
  insertSigningKeyUnlessActiveExists,
  listStoredPrivateJwks,
  listVerificationKeys,
  replacePrivateJwk,
  type AuthDb,
  type SigningKeyRecord,
  type StoredPrivateJwk,
} from './auth.repo.js'
import { AuthErrors } from './auth.errors.js'
import { isRole, type Role } from './permissions.js'

export const ACCESS_TOKEN_ALGORITHM = 'EdDSA'
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60
export const ACCESS_TOKEN_ISSUER = 'urn:emporium:auth'
export const ACCESS_TOKEN_AUDIENCE = 'urn:emporium:api'
/** RFC 9068 media type: keeps other JWTs we may sign later (MFA, email links) out of this door. */
export const ACCESS_TOKEN_TYPE = 'at+jwt'

/** A public signing key as published at `/.well-known/jwks.json`. */
export interface PublicJwk {
  kty: string
  crv: string
  x: string
  kid: string
  alg: string
  use: string
}

/** Signing keys, loaded once per process and shared by every request. */
export interface KeyStore {
  signingKey(): Promise<{ kid: string; key: CryptoKey }>
  /** The verification key for `kid`, or undefined when no live key has that id. */
  verificationKey(kid: string): Promise<CryptoKey | undefined>
  publicKeys(): Promise<PublicJwk[]>
}

interface KeySet {
  signing: { kid: string; key: CryptoKey }
  verifying: Map<string, CryptoKey>
  published: PublicJwk[]
}

export interface KeyStoreOptions {
  /** How long a retired key keeps verifying (at least the access token lifetime). */
  retiredGraceSeconds?: number
  /** An unknown `kid` triggers a reload (another process rotated) at most this often. */
  reloadIntervalMs?: number
  /** Seal the private halves at rest, bound to their kid (the first key seals); none: clear. */
  encryptionKeys?: readonly SecretKey[]
}

/** Private JWKs at rest: sealed when keys are configured; clear ones still open (older rows). */
interface PrivateKeyVault {
  seal(kid: string, jwk: JWK): StoredPrivateJwk
  open(kid: string, stored: StoredPrivateJwk): JWK
  /** Seals every stored key that is clear or sealed under an older key; a no-op without keys. */
  resealAll(db: AuthDb): Promise<void>
}

function privateKeyVault(keys: readonly SecretKey[]): PrivateKeyVault {
  const box = createSecretBox({ keys: [...keys], label: 'signing-key' })
  const vault: PrivateKeyVault = {
    seal: (kid, jwk) => (keys.length > 0 ? box.seal(kid, JSON.stringify(jwk)) : jwk),
    open: (kid, stored) =>
      typeof stored === 'string' ? (JSON.parse(box.open(kid, stored)) as JWK) : stored,
    async resealAll(db) {
      if (keys.length === 0) return
      for (const { kid, privateJwk } of await listStoredPrivateJwks(db)) {
        if (typeof privateJwk === 'string' && !box.needsReseal(privateJwk)) continue
        await replacePrivateJwk(db, kid, vault.seal(kid, vault.open(kid, privateJwk)))
      }
    },
  }
  return vault
}

async function generateSigningKey(): Promise<{ kid: string; publicJwk: JWK; privateJwk: JWK }> {
  const pair = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { crv: 'Ed25519', extractable: true })
  const publicJwk = await exportJWK(pair.publicKey)
  const kid = await calculateJwkThumbprint(publicJwk)
  return {
    kid,
    publicJwk: { ...publicJwk, kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' },
    privateJwk: await exportJWK(pair.privateKey),
  }
}

async function toKeySet(records: SigningKeyRecord[], vault: PrivateKeyVault): Promise<KeySet> {
  const active = records.find((r) => r.retiredAt === null)
  if (!active) throw new Error('auth: no active signing key after creating one')
  const verifying = new Map<string, CryptoKey>()
  const published: PublicJwk[] = []
  for (const record of records) {
    const { kty, crv, x } = record.publicJwk
    if (!kty || !crv || !x) throw new Error(`auth: signing key ${record.kid} is not an OKP key`)
    verifying.set(
      record.kid,
      (await importJWK(record.publicJwk, ACCESS_TOKEN_ALGORITHM)) as CryptoKey,
    )
    published.push({ kty, crv, x, kid: record.kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' })
  }
  const privateJwk = vault.open(active.kid, active.privateJwk)
  const key = (await importJWK(privateJwk, ACCESS_TOKEN_ALGORITHM)) as CryptoKey
  return { signing: { kid: active.kid, key }, verifying, published }
}

/**
 * Keys live in `auth.signing_key`, so they survive restarts and every process shares them. The
 * first use creates one; processes racing to do so all end up reading the single winner.
 * The private halves are sealed at rest when `encryptionKeys` are given: the first load in each
 * process seals the keys stored in clear or under an older key.
 * Uses `db` directly: never call it from inside a unit of work (PGlite would wait for itself).
 */
export function createKeyStore(db: AuthDb, options: KeyStoreOptions = {}): KeyStore {
  const graceSeconds = options.retiredGraceSeconds ?? 24 * 3600
  const reloadIntervalMs = options.reloadIntervalMs ?? 30_000
  const vault = privateKeyVault(options.encryptionKeys ?? [])
  let current: Promise<KeySet> | undefined
  let loadStartedAt = 0
  let resealed = false

  async function load(): Promise<KeySet> {
    if (!resealed) {
      await vault.resealAll(db)
      resealed = true
    }
    let records = await listVerificationKeys(db, graceSeconds)
    if (!records.some((r) => r.retiredAt === null)) {
      const { kid, publicJwk, privateJwk } = await generateSigningKey()
      const stored = vault.seal(kid, privateJwk)
      await insertSigningKeyUnlessActiveExists(db, { kid, publicJwk, privateJwk: stored })
      records = await listVerificationKeys(db, graceSeconds)
    }
    return toKeySet(records, vault)
  }

  function keys(reload = false): Promise<KeySet> {
    if (!current || reload) {
      const loading = load()
      current = loading
      loadStartedAt = Date.now()
      // A failed load (database down) must not be cached: the next call tries again.
      loading.catch(() => {
        if (current === loading) current = undefined
      })
    }
    return current
  }

  return {
    async signingKey() {
      return (await keys()).signing
    },
    async verificationKey(kid) {
      const known = (await keys()).verifying.get(kid)
      if (known) return known
      // Throttled, so tokens with made-up kids cannot turn into a query each; within the
      // interval this still waits for a reload another request may have started.
      const stale = Date.now() - loadStartedAt >= reloadIntervalMs
      return (await keys(stale)).verifying.get(kid)
    },
    async publicKeys() {
      return (await keys()).published
    },
  }
}

/** What an access token asserts. `sessionId` ties it to a refresh-token family (identity issue). */
export interface AccessClaims {
  subject: string
  role: Role
  tokenId: string
  sessionId?: string
}

export interface IssuedToken {
  token: string
  expiresIn: number
}

export interface TokenService {
  issueAccessToken(claims: {
    subject: string
    role: Role
    sessionId?: string
  }): Promise<IssuedToken>
  /** Throws `invalid_token` for anything but a valid, live access token of ours. */
  verifyAccessToken(token: string): Promise<AccessClaims>
  publicKeys(): Promise<PublicJwk[]>
}

class UnknownKeyError extends Error {}

export function createTokenService(keys: KeyStore): TokenService {
  async function keyFor(header: JWTHeaderParameters): Promise<CryptoKey> {
    const key = header.kid ? await keys.verificationKey(header.kid) : undefined
    if (!key) throw new UnknownKeyError()
    return key
  }

  return {
    async issueAccessToken({ subject, role, sessionId }) {
      const { kid, key } = await keys.signingKey()
      const token = await new SignJWT({ role, ...(sessionId ? { sid: sessionId } : {}) })
        .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid, typ: ACCESS_TOKEN_TYPE })
        .setSubject(subject)
        .setIssuer(ACCESS_TOKEN_ISSUER)
        .setAudience(ACCESS_TOKEN_AUDIENCE)
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
        .sign(key)
      return { token, expiresIn: ACCESS_TOKEN_TTL_SECONDS }
    },

    async verifyAccessToken(token) {
      try {
        const { payload } = await jwtVerify(token, keyFor, {
          algorithms: [ACCESS_TOKEN_ALGORITHM],
          issuer: ACCESS_TOKEN_ISSUER,
          audience: ACCESS_TOKEN_AUDIENCE,
          typ: ACCESS_TOKEN_TYPE,
          requiredClaims: ['sub', 'jti', 'iat', 'exp'],
          clockTolerance: 5,
        })
        const { sub, role, jti, sid } = payload
        if (!sub || !jti || !isRole(role)) throw AuthErrors.invalidToken()
        return {
          subject: sub,
          role,
          tokenId: jti,
          ...(typeof sid === 'string' ? { sessionId: sid } : {}),
        }
      } catch (error) {
        // Only a problem with the token is a 401; a database failure while loading keys is not.
        if (error instanceof joseErrors.JOSEError || error instanceof UnknownKeyError) {
          throw AuthErrors.invalidToken()
        }
        throw error
      }
    },

    publicKeys: () => keys.publicKeys(),
  }
}
