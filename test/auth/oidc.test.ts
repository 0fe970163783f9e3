import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import Provider from 'oidc-provider'
import { createTestContext, uniqueSuffix, type TestContext } from '../helpers/context.js'
import { login, newCredentials, register, signedInCustomer } from './support.js'

const PUBLIC_URL = 'http://127.0.0.1:3999'
const CALLBACK = `${PUBLIC_URL}/v1/auth/oidc/acme/callback`

interface TestAccount {
  sub: string
  email: string
  email_verified: boolean
  name: string
}

let ctx: TestContext
let server: Server
/** Whoever "signs in" at the provider next. */
let current: TestAccount

function account(overrides: Partial<TestAccount> = {}): TestAccount {
  const suffix = uniqueSuffix()
  return {
    sub: `sub-${suffix}`,
    email: `oidc-${suffix}@example.test`,
    email_verified: true,
    name: `Grace ${suffix}`,
    ...overrides,
  }
}

/** A real OpenID provider; its login and consent pages are answered in code. */
async function startProvider(): Promise<string> {
  server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'emporium',
        client_secret: 'emporium-test-secret',
        redirect_uris: [CALLBACK],
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
    ],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    cookies: { keys: ['test-cookie-key'] },
    ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600 },
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: () => ({ ...current, sub }),
    }),
  })
  const handle = provider.callback()
  server.on('request', (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return void handle(req, res)
    void (async () => {
      const details = await provider.interactionDetails(req, res)
      if (details.prompt.name === 'login') {
        const result = { login: { accountId: current.sub } }
        return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false })
      }
      const grant = new provider.Grant({
        accountId: details.session!.accountId,
        clientId: String(details.params.client_id),
      })
      grant.addOIDCScope(String(details.params.scope))
      const grantId = await grant.save()
      return provider.interactionFinished(
        req,
        res,
        { consent: { grantId } },
        {
          mergeWithLastSubmission: true,
        },
      )
    })().catch((error: unknown) => {
      res.statusCode = 500
      res.end(String(error))
    })
  })
  return issuer
}

before(async () => {
  const issuer = await startProvider()
  ctx = await createTestContext({
    PUBLIC_URL,
    OIDC_PROVIDERS: 'acme',
    OIDC_ACME_ISSUER: issuer,
    OIDC_ACME_CLIENT_ID: 'emporium',
    OIDC_ACME_CLIENT_SECRET: 'emporium-test-secret',
  })
})
after(async () => {
  await ctx.close()
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

/** Our start route, as the browser sees it: a 302 to the provider. */
async function startLogin(): Promise<URL> {
  const res = await ctx.app.inject({ url: '/v1/auth/oidc/acme/start' })
  assert.equal(res.statusCode, 302, res.body)
  return new URL(String(res.headers.location))
}

/** Follows the provider's redirects like a browser (with cookies) until it comes back to us. */
async function throughProvider(authorizationUrl: URL): Promise<URL> {
  const jar = new Map<string, string>()
  let next = authorizationUrl
  for (let hop = 0; hop < 10; hop++) {
    if (next.toString().startsWith(PUBLIC_URL)) return next
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
    const res = await fetch(next, { redirect: 'manual', headers: { cookie } })
    for (const set of res.headers.getSetCookie()) {
      const [pair] = set.split(';')
      const eq = pair!.indexOf('=')
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1))
    }
    const location = res.headers.get('location')
    assert.ok(location, `provider stopped at ${res.status}: ${await res.text()}`)
    next = new URL(location, next)
  }
  throw new Error('too many redirects')
}

function callback(url: URL) {
  return ctx.app.inject({ url: `${url.pathname}${url.search}` })
}

async function signInWithProvider() {
  return callback(await throughProvider(await startLogin()))
}

async function verifyEmail(userId: string) {
  await ctx.database.db
    .updateTable('auth.user' as never)
    .set({ email_verified_at: new Date() } as never)
    .where('id' as never, '=', userId as never)
    .execute()
}

function identitiesOf(userId: string) {
  return ctx.database.db
    .selectFrom('auth.identity' as never)
    .selectAll()
    .where('user_id' as never, '=', userId as never)
    .execute()
}

describe('OpenID Connect sign-in', () => {
  test('start redirects with PKCE, state and nonce', async () => {
    const url = await startLogin()
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256')
    assert.ok(url.searchParams.get('code_challenge'))
    assert.ok(url.searchParams.get('state'))
    assert.ok(url.searchParams.get('nonce'))
    assert.equal(url.searchParams.get('redirect_uri'), CALLBACK)
  })

  test('a first sign-in creates a verified customer; the second reuses it', async () => {
    current = account()
    const first = await signInWithProvider()
    assert.equal(first.statusCode, 200, first.body)
    const body = first.json()
    assert.ok(body.accessToken && body.refreshToken)
    assert.equal(body.user.email, current.email)
    assert.equal(body.user.emailVerified, true)
    assert.equal(body.user.role, 'customer')

    const second = await signInWithProvider()
    assert.equal(second.statusCode, 200, second.body)
    assert.equal(second.json().user.id, body.user.id)
    const identities = await ctx.database.db
      .selectFrom('auth.identity' as never)
      .selectAll()
      .where('user_id' as never, '=', body.user.id as never)
      .execute()
    assert.equal(identities.length, 1)
  })

  test('an existing account is linked when the provider and we verified its email', async () => {
    const credentials = newCredentials('linked')
    const created = await register(ctx, { ...credentials })
    await verifyEmail(created.json().user.id)
    current = account({ email: credentials.email.toUpperCase() })
    const res = await signInWithProvider()
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().user.id, created.json().user.id)
    const pw = await login(ctx, { email: credentials.email, password: credentials.password })
    assert.equal(pw.statusCode, 200, 'the password still works')
  })

  test('an account whose email we never verified is not taken over by a provider sign-in', async () => {
    // The attacker registers the victim's address first, with a password of their own.
    const squatter = newCredentials('victim')
    const created = await register(ctx, { ...squatter })
    current = account({ email: squatter.email })
    const res = await signInWithProvider()
    assert.equal(res.statusCode, 409, res.body)
    assert.equal(res.json().code, 'account_exists_unverified')
    assert.equal(res.json().accessToken, undefined)
    assert.equal((await identitiesOf(created.json().user.id)).length, 0)
  })

  for (const role of ['staff', 'admin'] as const) {
    test(`a ${role} account is never linked automatically, even with a verified email`, async () => {
      const email = `oidc-${role}-${uniqueSuffix()}@example.test`
      const password = `correct horse ${uniqueSuffix()}`
      const user = await ctx.runtime.modules.auth.service.createUser({
        email,
        password,
        name: `A ${role}`,
        role,
      })
      await verifyEmail(user.id)
      current = account({ email })
      const res = await signInWithProvider()
      assert.equal(res.statusCode, 409, res.body)
      assert.equal(res.json().code, 'account_link_required')
      assert.equal((await identitiesOf(user.id)).length, 0)
    })
  }

  test('an unverified provider email is never linked (nor used to create)', async () => {
    const credentials = newCredentials('victim')
    await register(ctx, { ...credentials })
    current = account({ email: credentials.email, email_verified: false })
    const res = await signInWithProvider()
    assert.equal(res.statusCode, 403, res.body)
    assert.equal(res.json().code, 'oidc_email_unverified')
    const links = await ctx.database.db
      .selectFrom('auth.identity' as never)
      .selectAll()
      .where('subject' as never, '=', current.sub as never)
      .execute()
    assert.equal(links.length, 0)
  })

  test('a wrong, missing or replayed state is refused', async () => {
    current = account()
    const back = await throughProvider(await startLogin())
    const forged = new URL(back)
    forged.searchParams.set('state', 'not-the-state')
    for (const url of [forged, new URL(`${back.origin}${back.pathname}?code=x`)]) {
      const res = await callback(url)
      assert.equal(res.statusCode, 400, res.body)
      assert.equal(res.json().code, 'oidc_state_invalid')
    }
    assert.equal((await callback(back)).statusCode, 200)
    const replay = await callback(back)
    assert.equal(replay.statusCode, 400, 'a state is single-use')
  })

  test('an ID token whose nonce differs from the one we sent is refused', async () => {
    current = account()
    const back = await throughProvider(await startLogin())
    await ctx.database.db
      .updateTable('auth.oidc_login' as never)
      .set({ nonce: 'another-nonce' } as never)
      .execute()
    const res = await callback(back)
    assert.equal(res.statusCode, 401, res.body)
    assert.equal(res.json().code, 'oidc_login_failed')
  })

  test('an unknown provider is a 404', async () => {
    const res = await ctx.app.inject({ url: '/v1/auth/oidc/nope/start' })
    assert.equal(res.statusCode, 404)
    assert.equal(res.json().code, 'oidc_provider_not_found')
  })
})

describe('linking a provider account from the signed-in account', () => {
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

  async function startLink(token: string) {
    return ctx.app.inject({
      method: 'POST',
      url: '/v1/me/identities/acme',
      headers: bearer(token),
    })
  }

  async function link(token: string) {
    const started = await startLink(token)
    assert.equal(started.statusCode, 200, started.body)
    return callback(await throughProvider(new URL(started.json().authorizationUrl)))
  }

  test('links to the signed-in account, lists and unlinks', async () => {
    const { token, userId } = await signedInCustomer(ctx)
    current = account()
    const linked = await link(token)
    assert.equal(linked.statusCode, 200, linked.body)
    assert.deepEqual(linked.json(), { identityLinked: true, provider: 'acme' })

    const signIn = await signInWithProvider()
    assert.equal(signIn.statusCode, 200, signIn.body)
    assert.equal(signIn.json().user.id, userId, 'the provider now signs in to this account')

    const list = await ctx.app.inject({ url: '/v1/me/identities', headers: bearer(token) })
    assert.equal(list.statusCode, 200, list.body)
    assert.deepEqual(
      list.json().data.map((i: { provider: string }) => i.provider),
      ['acme'],
    )
    const unlink = () =>
      ctx.app.inject({ method: 'DELETE', url: '/v1/me/identities/acme', headers: bearer(token) })
    assert.equal((await unlink()).statusCode, 204)
    assert.equal((await unlink()).statusCode, 404)
    assert.equal((await identitiesOf(userId)).length, 0)
  })

  test('a provider account linked to someone else is not moved', async () => {
    const first = await signedInCustomer(ctx)
    current = account()
    assert.equal((await link(first.token)).statusCode, 200)
    const second = await signedInCustomer(ctx)
    const res = await link(second.token)
    assert.equal(res.statusCode, 409, res.body)
    assert.equal(res.json().code, 'identity_linked_elsewhere')
    assert.equal((await identitiesOf(second.userId)).length, 0)
  })

  test('signing out before the provider answers cancels the link', async () => {
    const { token, userId } = await signedInCustomer(ctx)
    current = account()
    const started = await startLink(token)
    const back = await throughProvider(new URL(started.json().authorizationUrl))
    const out = await ctx.app.inject({
      method: 'POST',
      url: '/v1/auth/logout',
      headers: bearer(token),
    })
    assert.ok(out.statusCode < 300, out.body)
    const res = await callback(back)
    assert.equal(res.statusCode, 401, res.body)
    assert.equal(res.json().code, 'oidc_link_session_ended')
    assert.equal((await identitiesOf(userId)).length, 0)
  })

  test('an admin without a second factor cannot link', async () => {
    const res = await startLink(await ctx.tokenFor('admin'))
    assert.equal(res.statusCode, 403, res.body)
    assert.equal(res.json().code, 'mfa_required')
  })
})
