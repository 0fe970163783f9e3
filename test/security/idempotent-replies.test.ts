import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { sql } from 'kysely'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import {
  ADDRESS,
  cartWith,
  checkout,
  stockedVariant,
  type OrderBody,
  type Shopper,
} from '../checkout/support.js'

// Issue 9, finding 1: an idempotent replay goes only to the caller that made the first request,
// and the secrets it carries (order tokens, webhook signing secrets) are never stored in clear.

let ctx: TestContext
let staff: string
let admin: string
const HOOKS = '/v1/admin/webhook-endpoints'
const PUBLIC_URL = 'https://93.184.215.14/hooks'

before(async () => {
  ctx = await createTestContext({ IDEMPOTENCY_ENCRYPTION_KEY: randomBytes(32).toString('base64') })
  staff = await ctx.tokenFor('staff')
  admin = await ctx.tokenFor('admin')
})
after(() => ctx.close())

const replayed = (res: LightMyRequestResponse) => res.headers['idempotent-replayed'] === 'true'

/** The same checkout request as `checkout`, with the headers given and nothing else. */
function checkoutWith(shopper: Shopper, headers: Record<string, string>) {
  return ctx.app.inject({
    method: 'POST',
    url: `/v1/carts/${shopper.cartId}/checkout`,
    headers,
    payload: {
      email: 'ada@example.test',
      shippingAddress: ADDRESS,
      payment: { method: 'card', token: 'tok_visa' },
    },
  })
}

async function storedBodies(key: string): Promise<string[]> {
  const result = await sql<{ body: string | null }>`
    select response_body as body from platform.idempotency_key where key = ${key}`.execute(
    ctx.database.db,
  )
  return result.rows.map((r) => r.body ?? '')
}

describe(`idempotent replies are the first caller's alone (${engine})`, () => {
  test('a guest checkout is not replayed to a caller without the cart token, nor with another cart token', async () => {
    const variantId = await stockedVariant(ctx, staff, 5)
    const guest = await cartWith(ctx, [{ variantId, quantity: 1 }])
    const key = `checkout-${randomUUID()}`
    const first = await checkout(ctx, guest, 'tok_visa', { idempotencyKey: key })
    assert.equal(first.statusCode, 201, first.body)
    const { order, orderToken } = first.json() as { order: OrderBody; orderToken: string }
    assert.match(orderToken, /^ot_/)

    // The attack: the same POST without the cart token.
    const stranger = await checkoutWith(guest, { 'idempotency-key': key })
    assert.ok(!replayed(stranger), 'a caller without the cart token must not get the replay')
    assert.notEqual(stranger.statusCode, 201)
    assert.ok(!stranger.body.includes(orderToken))
    assert.ok(!stranger.body.includes(order.id))

    // Another guest's cart token is another scope too.
    const other = await cartWith(ctx, [{ variantId, quantity: 1 }])
    const withOther = await checkoutWith(guest, {
      'idempotency-key': key,
      'x-cart-token': other.cartToken!,
    })
    assert.ok(!replayed(withOther))
    assert.ok(!withOther.body.includes(orderToken))

    // The stolen token would have cancelled the order: it is still paid.
    const got = await ctx.app.inject({
      method: 'GET',
      url: `/v1/orders/${order.id}`,
      headers: { 'x-order-token': orderToken },
    })
    assert.equal((got.json() as OrderBody).status, 'paid')

    // The guest's own retry is still the first reply, order token included.
    const retry = await checkout(ctx, guest, 'tok_visa', { idempotencyKey: key })
    assert.equal(retry.statusCode, 201)
    assert.ok(replayed(retry))
    assert.deepEqual(retry.json(), first.json())

    // Stored sealed: the table never holds the order token.
    const bodies = await storedBodies(key)
    assert.ok(bodies.length >= 1)
    for (const body of bodies) assert.ok(!body.includes(orderToken), 'order token in clear')
    assert.ok(bodies.some((b) => b.includes(order.id)))
  })

  test('a webhook signing secret is stored sealed, and replayed only to its creator', async () => {
    const key = randomUUID()
    const create = (token: string) =>
      ctx.app.inject({
        method: 'POST',
        url: HOOKS,
        headers: { authorization: `Bearer ${token}`, 'idempotency-key': key },
        payload: { url: PUBLIC_URL, events: ['order.paid'] },
      })
    const first = await create(admin)
    assert.equal(first.statusCode, 201, first.body)
    const { id, secret } = first.json() as { id: string; secret: string }
    assert.match(secret, /^whsec_/)

    const bodies = await storedBodies(key)
    assert.equal(bodies.length, 1)
    assert.ok(!bodies[0]!.includes(secret), 'signing secret in clear')
    assert.ok(!bodies[0]!.includes('whsec_'))

    const retry = await create(admin)
    assert.ok(replayed(retry))
    assert.deepEqual(retry.json(), first.json())

    // Another admin with the same key runs a request of its own: another endpoint, another secret.
    const other = await create(await ctx.tokenFor('admin'))
    assert.equal(other.statusCode, 201)
    assert.ok(!replayed(other))
    assert.notEqual((other.json() as { secret: string }).secret, secret)

    const rotateKey = randomUUID()
    const rotate = () =>
      ctx.app.inject({
        method: 'POST',
        url: `${HOOKS}/${id}/rotate-secret`,
        headers: { authorization: `Bearer ${admin}`, 'idempotency-key': rotateKey },
        payload: { overlapSeconds: 0 },
      })
    const rotated = await rotate()
    assert.equal(rotated.statusCode, 200, rotated.body)
    const newSecret = (rotated.json() as { secret: string }).secret
    const [stored] = await storedBodies(rotateKey)
    assert.ok(stored && !stored.includes(newSecret) && !stored.includes('whsec_'))
    const again = await rotate()
    assert.ok(replayed(again))
    assert.equal((again.json() as { secret: string }).secret, newSecret)
  })

  test('an API key gets its own replay, sealed with the key itself', async () => {
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/v1/admin/api-keys',
      headers: { authorization: `Bearer ${admin}` },
      payload: { name: 'hooks', scopes: ['webhooks:manage'] },
    })
    assert.equal(created.statusCode, 201, created.body)
    const apiKey = (created.json() as { key: string }).key
    const key = randomUUID()
    const create = () =>
      ctx.app.inject({
        method: 'POST',
        url: HOOKS,
        headers: { authorization: `Bearer ${apiKey}`, 'idempotency-key': key },
        payload: { url: PUBLIC_URL, events: ['order.paid'] },
      })
    const first = await create()
    assert.equal(first.statusCode, 201, first.body)
    const secret = (first.json() as { secret: string }).secret
    const [stored] = await storedBodies(key)
    assert.ok(stored && !stored.includes(secret))
    const retry = await create()
    assert.ok(replayed(retry))
    assert.equal((retry.json() as { secret: string }).secret, secret)
  })
})

describe(`without IDEMPOTENCY_ENCRYPTION_KEY (${engine})`, () => {
  let plain: TestContext
  before(async () => {
    plain = await createTestContext()
  })
  after(() => plain.close())

  test("a signed-in user's reply holding a secret is not stored: the retry runs again", async () => {
    const token = await plain.tokenFor('admin')
    const key = randomUUID()
    const create = () =>
      plain.app.inject({
        method: 'POST',
        url: HOOKS,
        headers: { authorization: `Bearer ${token}`, 'idempotency-key': key },
        payload: { url: PUBLIC_URL, events: ['order.paid'] },
      })
    const first = await create()
    assert.equal(first.statusCode, 201, first.body)
    const count = await sql<{ n: number }>`
      select count(*)::int as n from platform.idempotency_key where key = ${key}`.execute(
      plain.database.db,
    )
    assert.equal(count.rows[0]?.n, 0)
    const again = await create()
    assert.equal(again.statusCode, 201)
    assert.ok(!replayed(again))
  })
})
