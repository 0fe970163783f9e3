import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import {
  SignJWT,
  base64url,
  decodeJwt,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JWK,
} from 'jose'
import {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  ACCESS_TOKEN_TYPE,
} from '../../src/modules/auth/index.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { getMe, signedInCustomer } from './support.js'

let ctx: TestContext
let customer: { token: string; userId: string }
let realKey: { kid: string; key: CryptoKey }
/** The live session of the customer's genuine token: forged tokens name it to pass that check. */
let customerSid: string

before(async () => {
  ctx = await createTestContext()
  customer = await signedInCustomer(ctx)
  customerSid = decodeJwt(customer.token).sid as string
  const row = await ctx.database.db
    .selectFrom('auth.signing_key')
    .select(['kid', 'private_jwk'])
    .where('retired_at', 'is', null)
    .executeTakeFirstOrThrow()
  realKey = { kid: row.kid, key: (await importJWK(row.private_jwk as JWK, 'EdDSA')) as CryptoKey }
})
after(async () => {
  await ctx.close()
})

interface Forgery {
  key?: CryptoKey
  kid?: string
  issuer?: string
  audience?: string
  role?: string
  typ?: string
  issuedAt?: number
  expiresAt?: number
}

/** A token made outside the service, by default exactly like a genuine one. */
async function forge(options: Forgery = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT({ role: options.role ?? 'customer', sid: customerSid })
    .setProtectedHeader({
      alg: 'EdDSA',
      kid: options.kid ?? realKey.kid,
      typ: options.typ ?? ACCESS_TOKEN_TYPE,
    })
    .setSubject(customer.userId)
    .setIssuer(options.issuer ?? ACCESS_TOKEN_ISSUER)
    .setAudience(options.audience ?? ACCESS_TOKEN_AUDIENCE)
    .setJti(randomUUID())
    .setIssuedAt(options.issuedAt ?? now)
    .setExpirationTime(options.expiresAt ?? now + 900)
    .sign(options.key ?? realKey.key)
}

async function assertRejected(token: string) {
  const res = await getMe(ctx, token)
  assert.equal(res.statusCode, 401, res.body)
  const problem = res.json()
  assert.equal(problem.code, 'invalid_token')
  assert.equal(problem.detail, 'The access token is invalid or has expired.')
  assert.match(String(res.headers['www-authenticate']), /error="invalid_token"/)
  // The request id is random and may contain a short token such as `abc` by chance.
  const { requestId: _requestId, ...rest } = problem as Record<string, unknown>
  assert.ok(!JSON.stringify(rest).includes(token), 'the reply echoes the token')
}

describe('access token verification', () => {
  test('a token forged with the real key and genuine claims is accepted (control)', async () => {
    const res = await getMe(ctx, await forge())
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().id, customer.userId)
  })

  test('a tampered payload is rejected', async () => {
    const [header, , signature] = customer.token.split('.')
    const claims = JSON.parse(
      new TextDecoder().decode(base64url.decode(customer.token.split('.')[1]!)),
    )
    const promoted = base64url.encode(JSON.stringify({ ...claims, role: 'admin' }))
    await assertRejected(`${header}.${promoted}.${signature}`)
  })

  test('a tampered signature is rejected', async () => {
    const last = customer.token.at(-2) === 'A' ? 'B' : 'A'
    await assertRejected(`${customer.token.slice(0, -2)}${last}${customer.token.at(-1)}`)
  })

  test('an unsigned token (alg none) is rejected', async () => {
    const now = Math.floor(Date.now() / 1000)
    const encode = (value: object) => base64url.encode(JSON.stringify(value))
    const header = encode({ alg: 'none', typ: ACCESS_TOKEN_TYPE, kid: realKey.kid })
    const payload = encode({
      sub: customer.userId,
      role: 'admin',
      iss: ACCESS_TOKEN_ISSUER,
      aud: ACCESS_TOKEN_AUDIENCE,
      jti: randomUUID(),
      iat: now,
      exp: now + 900,
    })
    await assertRejected(`${header}.${payload}.`)
  })

  test('an expired token is rejected', async () => {
    const now = Math.floor(Date.now() / 1000)
    await assertRejected(await forge({ issuedAt: now - 3600, expiresAt: now - 1800 }))
  })

  test('a token signed by another Ed25519 key is rejected, with our kid or its own', async () => {
    const other = await generateKeyPair('EdDSA', { crv: 'Ed25519' })
    await assertRejected(await forge({ key: other.privateKey }))
    await assertRejected(await forge({ key: other.privateKey, kid: 'someone-elses-key' }))
  })

  test('a wrong issuer, audience or type, or an unknown role, is rejected', async () => {
    await assertRejected(await forge({ issuer: 'https://evil.example' }))
    await assertRejected(await forge({ typ: 'JWT' }))
    await assertRejected(await forge({ audience: 'urn:other:api' }))
    await assertRejected(await forge({ role: 'superuser' }))
  })

  test('malformed credentials are rejected', async () => {
    for (const token of ['abc', 'a.b.c', 'emp_0123456789abcdef', `${customer.token}.x`]) {
      await assertRejected(token)
    }
  })

  test('a malformed Authorization header is a 401', async () => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { authorization: `Token ${customer.token}` },
    })
    assert.equal(res.statusCode, 401)
  })

  test('a bad token on a public route is still refused rather than ignored', async () => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/.well-known/jwks.json',
      headers: { authorization: 'Bearer a.b.c' },
    })
    assert.equal(res.statusCode, 401)
  })
})
