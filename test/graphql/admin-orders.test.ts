import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { createTestContext, engine, uniqueSuffix, type TestContext } from '../helpers/context.js'
import { createProduct } from '../helpers/catalog.js'
import { cartWith, checkout, stockedVariant, type OrderBody } from '../checkout/support.js'
import type { PromotionBody } from '../promotions/support.js'
import { queuedJobs } from '../webhooks/support.js'
import { gql, gqlData, gqlErrorCode } from './support.js'

let ctx: TestContext
let admin: string
let staff: string

before(async () => {
  // With a sealing key a reply that carries a signing secret is kept for an idempotent retry.
  ctx = await createTestContext({ IDEMPOTENCY_ENCRYPTION_KEY: randomBytes(32).toString('base64') })
  // Fan-out queues delivery jobs; nothing works them here (no HTTP is sent).
  await ctx.runtime.jobs.start({ work: false })
  admin = await ctx.tokenFor('admin')
  staff = await ctx.tokenFor('staff')
})
after(() => ctx.close())

interface Order {
  id: string
  number: string
  status: string
  email: string
  payment: { status: string; amount: { amount: number }; refunded: { amount: number } }
  totals: { total: { amount: number } }
  fulfillments: { trackingNumber: string | null; carrier: string | null }[]
  notes: { text: string; author: string | null }[] | null
}

const ORDER_FIELDS = `
  id number status email
  payment { status amount { amount } refunded { amount } }
  totals { total { amount } }
  fulfillments { trackingNumber carrier }
  notes { text author }`

const ADMIN_ORDERS = `query ($query: String, $status: OrderStatus, $email: String, $first: Int) {
  adminOrders(query: $query, status: $status, email: $email, first: $first) {
    nodes { ${ORDER_FIELDS} }
    pageInfo { hasNextPage endCursor }
  }
}`

const ADMIN_ORDER = `query ($id: ID!) { adminOrder(id: $id) { ${ORDER_FIELDS} } }`

const REFUND = `mutation ($id: ID!, $amount: Int, $reason: String, $key: String) {
  refundOrder(id: $id, amount: $amount, reason: $reason, idempotencyKey: $key) {
    ${ORDER_FIELDS}
  }
}`

/** A paid order placed through REST by a signed-in customer, with its own email. */
async function paidOrder(customer: string): Promise<OrderBody> {
  const variantId = await stockedVariant(ctx, staff, 5)
  const email = `gql-${uniqueSuffix()}@example.test`
  const res = await checkout(
    ctx,
    await cartWith(ctx, [{ variantId, quantity: 2 }], customer),
    undefined,
    {
      email,
    },
  )
  assert.equal(res.statusCode, 201, res.body)
  return (res.json() as { order: OrderBody }).order
}

describe(`GraphQL admin orders and refunds (${engine})`, () => {
  test('find by number, fulfil with tracking, deliver, note (staff only), refund in two steps once per key', async () => {
    const customer = await ctx.tokenFor('customer')
    const placed = await paidOrder(customer)
    const total = placed.totals.total.amount

    // Found by its number; the other filters narrow as REST's do.
    const found = await gqlData<{ adminOrders: { nodes: Order[] } }>(
      ctx,
      ADMIN_ORDERS,
      { query: placed.number },
      { token: staff },
    )
    assert.deepEqual(
      found.adminOrders.nodes.map((o) => o.id),
      [placed.id],
    )
    assert.equal(found.adminOrders.nodes[0]!.payment.status, 'paid')
    const byEmail = await gqlData<{ adminOrders: { nodes: Order[] } }>(
      ctx,
      ADMIN_ORDERS,
      { email: placed.email, status: 'paid' },
      { token: staff },
    )
    assert.deepEqual(
      byEmail.adminOrders.nodes.map((o) => o.id),
      [placed.id],
    )
    const none = await gqlData<{ adminOrders: { nodes: Order[] } }>(
      ctx,
      ADMIN_ORDERS,
      { email: placed.email, status: 'delivered' },
      { token: staff },
    )
    assert.deepEqual(none.adminOrders.nodes, [])
    assert.equal(
      await gqlErrorCode(ctx, ADMIN_ORDERS, { query: '' }, { token: staff }),
      'validation_failed',
    )

    const fulfilled = await gqlData<{ fulfilOrder: Order }>(
      ctx,
      `mutation ($id: ID!) {
        fulfilOrder(id: $id, trackingNumber: "TRK-GQL-1", carrier: "DHL") { ${ORDER_FIELDS} }
      }`,
      { id: placed.id },
      { token: staff },
    )
    assert.equal(fulfilled.fulfilOrder.status, 'fulfilled')
    assert.deepEqual(fulfilled.fulfilOrder.fulfillments, [
      { trackingNumber: 'TRK-GQL-1', carrier: 'DHL' },
    ])

    const noted = await gqlData<{ addOrderNote: Order }>(
      ctx,
      `mutation ($id: ID!, $text: String!) { addOrderNote(id: $id, text: $text) { notes { text author } } }`,
      { id: placed.id, text: 'Left with the neighbour' },
      { token: staff },
    )
    assert.equal(noted.addOrderNote.notes?.[0]?.text, 'Left with the neighbour')
    assert.equal(
      await gqlErrorCode(
        ctx,
        `mutation ($id: ID!) { addOrderNote(id: $id, text: "") { id } }`,
        { id: placed.id },
        { token: staff },
      ),
      'validation_failed',
    )

    const delivered = await gqlData<{ markOrderDelivered: Order }>(
      ctx,
      `mutation ($id: ID!) { markOrderDelivered(id: $id) { status } }`,
      { id: placed.id },
      { token: staff },
    )
    assert.equal(delivered.markOrderDelivered.status, 'delivered')

    // The staff view has the note; the customer's own view of the same order has no notes.
    const staffView = await gqlData<{ adminOrder: Order }>(
      ctx,
      ADMIN_ORDER,
      { id: placed.id },
      { token: staff },
    )
    assert.deepEqual(
      staffView.adminOrder.notes?.map((n) => n.text),
      ['Left with the neighbour'],
    )
    assert.ok(staffView.adminOrder.notes?.[0]?.author)
    const ownView = await gqlData<{ order: Order }>(
      ctx,
      `query ($id: ID!) { order(id: $id) { id status notes { text } } }`,
      { id: placed.id },
      { token: customer },
    )
    assert.equal(ownView.order.status, 'delivered')
    assert.equal(ownView.order.notes, null)
    const missing = await gqlData<{ adminOrder: Order | null }>(
      ctx,
      ADMIN_ORDER,
      { id: 'ord_missing' },
      { token: staff },
    )
    assert.equal(missing.adminOrder, null)

    // Refunds need orders:refund: the staff role lacks it, a customer has no permissions.
    for (const token of [staff, customer]) {
      const refused = await gql(ctx, REFUND, { id: placed.id, amount: 100 }, { token })
      assert.equal(refused.errors?.[0]?.extensions.code, 'forbidden')
      assert.deepEqual(refused.errors?.[0]?.path, ['refundOrder'])
    }
    assert.equal(await gqlErrorCode(ctx, REFUND, { id: placed.id, amount: 100 }), 'unauthenticated')
    for (const token of [customer]) {
      assert.equal(
        await gqlErrorCode(ctx, ADMIN_ORDERS, {}, { token }),
        'forbidden',
        'a customer lists no orders but their own',
      )
      assert.equal(await gqlErrorCode(ctx, ADMIN_ORDER, { id: placed.id }, { token }), 'forbidden')
    }

    // A partial refund, then its retry with the same key: the money moves once.
    const key = `gql-refund-${uniqueSuffix()}`
    const variables = { id: placed.id, amount: 500, reason: 'scratched', key }
    const partial = await gql<{ refundOrder: Order }>(ctx, REFUND, variables, { token: admin })
    assert.equal(partial.errors, undefined, JSON.stringify(partial.errors))
    assert.equal(partial.data?.refundOrder.status, 'delivered')
    assert.equal(partial.data?.refundOrder.payment.status, 'partially_refunded')
    assert.equal(partial.data?.refundOrder.payment.refunded.amount, 500)
    assert.equal(partial.response.headers['idempotent-replayed'], undefined)
    const replay = await gql<{ refundOrder: Order }>(ctx, REFUND, variables, { token: admin })
    assert.equal(replay.errors, undefined, JSON.stringify(replay.errors))
    assert.deepEqual(replay.data, partial.data, 'the retry gets the first result')
    assert.equal(replay.response.headers['idempotent-replayed'], 'true')
    assert.equal(
      await gqlErrorCode(ctx, REFUND, { ...variables, amount: 600 }, { token: admin }),
      'idempotency_key_reused',
    )
    const afterReplay = await gqlData<{ adminOrder: Order }>(
      ctx,
      ADMIN_ORDER,
      { id: placed.id },
      { token: admin },
    )
    assert.equal(afterReplay.adminOrder.payment.refunded.amount, 500, 'refunded once')

    assert.equal(
      await gqlErrorCode(ctx, REFUND, { id: placed.id, amount: total }, { token: admin }),
      'refund_exceeds_payment',
    )
    assert.equal(
      await gqlErrorCode(ctx, REFUND, { id: placed.id, amount: 0 }, { token: admin }),
      'validation_failed',
    )
    const rest = await gqlData<{ refundOrder: Order }>(
      ctx,
      REFUND,
      { id: placed.id },
      { token: admin },
    )
    assert.equal(rest.refundOrder.status, 'refunded')
    assert.equal(rest.refundOrder.payment.status, 'refunded')
    assert.equal(rest.refundOrder.payment.refunded.amount, total)
    const provider = await ctx.runtime.modules.payments.providers.byName('test').lookup(placed.id)
    assert.equal(provider?.refunded, total, "the provider's books agree")
  })

  test('staff actions need orders:manage; an order not paid yet is not fulfilled', async () => {
    const customer = await ctx.tokenFor('customer')
    const placed = await paidOrder(customer)
    assert.equal(
      await gqlErrorCode(
        ctx,
        `mutation ($id: ID!) { fulfilOrder(id: $id) { id } }`,
        { id: placed.id },
        { token: customer },
      ),
      'forbidden',
    )
    assert.equal(
      await gqlErrorCode(
        ctx,
        `mutation ($id: ID!) { markOrderDelivered(id: $id) { id } }`,
        { id: placed.id },
        { token: staff },
      ),
      'invalid_order_transition',
      'not fulfilled yet',
    )
    assert.equal(
      await gqlErrorCode(
        ctx,
        `mutation { fulfilOrder(id: "ord_missing") { id } }`,
        {},
        { token: staff },
      ),
      'order_not_found',
    )
  })
})

type Promotion = Omit<PromotionBody, 'startsAt' | 'endsAt' | 'perCustomerLimit'> & {
  version: number
}

const PROMOTION_FIELDS = `id code kind description percentOffBps amountOff { amount currency }
  minimumSubtotal { amount currency } usageLimit timesUsed active version`

describe(`GraphQL promotions (${engine})`, () => {
  test('create, list, update (expectedVersion), delete; promotions:manage needed', async () => {
    const code = `gql-${uniqueSuffix()}`
    const created = await gqlData<{ createPromotion: Promotion }>(
      ctx,
      `mutation ($input: PromotionInput!) { createPromotion(input: $input) { ${PROMOTION_FIELDS} } }`,
      {
        input: {
          code,
          kind: 'percentage',
          percentOffBps: 1500,
          description: '15 % off',
          minimumSubtotal: [{ amount: 2000, currency: 'EUR' }],
          usageLimit: 100,
          amountOff: null,
        },
      },
      { token: staff },
    )
    const promo = created.createPromotion
    assert.match(promo.id, /^promo_/)
    assert.equal(promo.code, code.toUpperCase())
    assert.deepEqual(
      { ...promo, id: undefined },
      {
        id: undefined,
        code: code.toUpperCase(),
        kind: 'percentage',
        description: '15 % off',
        percentOffBps: 1500,
        amountOff: null,
        minimumSubtotal: [{ amount: 2000, currency: 'EUR' }],
        usageLimit: 100,
        timesUsed: 0,
        active: true,
        version: 1,
      },
    )
    assert.equal(
      await gqlErrorCode(
        ctx,
        `mutation ($input: PromotionInput!) { createPromotion(input: $input) { id } }`,
        { input: { code: code.toLowerCase(), kind: 'free_shipping' } },
        { token: staff },
      ),
      'promotion_code_taken',
    )
    assert.equal(
      await gqlErrorCode(
        ctx,
        `mutation { createPromotion(input: { code: "x", kind: free_shipping }) { id } }`,
        {},
        { token: staff },
      ),
      'validation_failed',
    )

    const listed = await gqlData<{ promotions: { nodes: Promotion[] } }>(
      ctx,
      `{ promotions(first: 100) { nodes { id code } pageInfo { hasNextPage } } }`,
      {},
      { token: staff },
    )
    assert.ok(listed.promotions.nodes.some((p) => p.id === promo.id))

    const UPDATE = `mutation ($id: ID!, $input: PromotionPatch!, $v: Int) {
      updatePromotion(id: $id, input: $input, expectedVersion: $v) { ${PROMOTION_FIELDS} }
    }`
    const updated = await gqlData<{ updatePromotion: Promotion }>(
      ctx,
      UPDATE,
      { id: promo.id, input: { active: false, description: null, usageLimit: null }, v: 1 },
      { token: staff },
    )
    assert.equal(updated.updatePromotion.active, false)
    assert.equal(updated.updatePromotion.description, null, 'null clears it')
    assert.equal(updated.updatePromotion.usageLimit, null)
    assert.equal(updated.updatePromotion.percentOffBps, 1500, 'what is not given stays')
    assert.equal(updated.updatePromotion.version, 2)
    assert.equal(
      await gqlErrorCode(
        ctx,
        UPDATE,
        { id: promo.id, input: { active: true }, v: 1 },
        { token: staff },
      ),
      'precondition_failed',
    )
    assert.equal(
      await gqlErrorCode(ctx, UPDATE, { id: promo.id, input: {} }, { token: staff }),
      'validation_failed',
    )

    const got = await gqlData<{ promotion: Promotion | null }>(
      ctx,
      `query ($id: ID!) { promotion(id: $id) { id active version } }`,
      { id: promo.id },
      { token: staff },
    )
    assert.deepEqual(got.promotion, { id: promo.id, active: false, version: 2 })

    const customer = await ctx.tokenFor('customer')
    assert.equal(
      await gqlErrorCode(ctx, `{ promotions { nodes { id } } }`, {}, { token: customer }),
      'forbidden',
    )
    assert.equal(
      await gqlErrorCode(
        ctx,
        `mutation ($id: ID!) { deletePromotion(id: $id) }`,
        { id: promo.id },
        { token: customer },
      ),
      'forbidden',
    )

    const deleted = await gqlData<{ deletePromotion: boolean }>(
      ctx,
      `mutation ($id: ID!) { deletePromotion(id: $id) }`,
      { id: promo.id },
      { token: staff },
    )
    assert.equal(deleted.deletePromotion, true)
    const gone = await gqlData<{ promotion: Promotion | null }>(
      ctx,
      `query ($id: ID!) { promotion(id: $id) { id } }`,
      { id: promo.id },
      { token: staff },
    )
    assert.equal(gone.promotion, null)
    assert.equal(
      await gqlErrorCode(
        ctx,
        `mutation ($id: ID!) { deletePromotion(id: $id) }`,
        { id: promo.id },
        { token: staff },
      ),
      'promotion_not_found',
    )
  })
})

interface Endpoint {
  id: string
  url: string
  description: string | null
  events: string[]
  enabled: boolean
  previousSecretExpiresAt: string | null
}

interface Delivery {
  id: string
  eventType: string
  status: string
  attemptCount: number
  attempts: unknown[]
}

const ENDPOINT_FIELDS = 'id url description events enabled previousSecretExpiresAt'

describe(`GraphQL webhook endpoints (${engine})`, () => {
  // A literal public address: no DNS needed, and nothing is sent to it (no job worker runs).
  const PUBLIC_URL = 'https://93.184.215.14/hooks'
  const CREATE = `mutation ($input: WebhookEndpointInput!, $key: String) {
    createWebhookEndpoint(input: $input, idempotencyKey: $key) {
      secret endpoint { ${ENDPOINT_FIELDS} }
    }
  }`

  test('create (secret once), list, get, update, rotate, deliveries and retry, delete', async () => {
    // Events of the tests before are fanned out now, before this endpoint exists.
    await ctx.runtime.relay.drain()
    const key = `gql-hook-${uniqueSuffix()}`
    const input = { url: PUBLIC_URL, events: ['product.created'], description: 'ERP' }
    const created = await gqlData<{
      createWebhookEndpoint: { secret: string; endpoint: Endpoint }
    }>(ctx, CREATE, { input, key }, { token: admin })
    const { secret, endpoint } = created.createWebhookEndpoint
    assert.match(endpoint.id, /^whe_/)
    assert.match(secret, /^whsec_[A-Za-z0-9+/]+=*$/)
    assert.deepEqual(endpoint, {
      id: endpoint.id,
      url: PUBLIC_URL,
      description: 'ERP',
      events: ['product.created'],
      enabled: true,
      previousSecretExpiresAt: null,
    })
    // A retry with the same key gets the first result, secret included; nothing new is created.
    const retry = await gql(ctx, CREATE, { input, key }, { token: admin })
    assert.equal(retry.errors, undefined, JSON.stringify(retry.errors))
    assert.deepEqual(retry.data, created)
    assert.equal(retry.response.headers['idempotent-replayed'], 'true')
    const { rows } = await sql<{ body: string }>`
      select response_body as body from platform.idempotency_key where key = ${key}`.execute(
      ctx.database.db,
    )
    assert.equal(rows.length, 1)
    assert.ok(!rows[0]!.body.includes(secret), 'the stored result holds the secret sealed')
    assert.equal(
      await gqlErrorCode(
        ctx,
        CREATE,
        { input: { ...input, description: 'CRM' }, key },
        { token: admin },
      ),
      'idempotency_key_reused',
    )
    assert.equal(
      await gqlErrorCode(
        ctx,
        CREATE,
        { input: { url: 'http://127.0.0.1/hooks', events: ['*'] } },
        { token: admin },
      ),
      'webhook_url_not_allowed',
    )
    assert.equal(
      await gqlErrorCode(
        ctx,
        CREATE,
        { input: { url: PUBLIC_URL, events: ['nope.happened'] } },
        { token: admin },
      ),
      'validation_failed',
    )

    // The secret is never listed or read again; the endpoint type has no field for it.
    const listed = await gql<{ webhookEndpoints: { nodes: Endpoint[] } }>(
      ctx,
      `{ webhookEndpoints(first: 100) { nodes { ${ENDPOINT_FIELDS} } } }`,
      {},
      { token: admin },
    )
    assert.equal(listed.errors, undefined)
    assert.deepEqual(
      listed.data!.webhookEndpoints.nodes.filter((e) => e.url === PUBLIC_URL).map((e) => e.id),
      [endpoint.id],
    )
    assert.ok(!listed.response.body.includes(secret))
    assert.equal(
      await gqlErrorCode(
        ctx,
        `query ($id: ID!) { webhookEndpoint(id: $id) { secret } }`,
        { id: endpoint.id },
        { token: admin },
      ),
      'validation_failed',
    )

    const updated = await gqlData<{ updateWebhookEndpoint: Endpoint }>(
      ctx,
      `mutation ($id: ID!, $input: WebhookEndpointPatch!) {
        updateWebhookEndpoint(id: $id, input: $input) { ${ENDPOINT_FIELDS} }
      }`,
      { id: endpoint.id, input: { description: null, events: ['product.created', 'order.paid'] } },
      { token: admin },
    )
    assert.equal(updated.updateWebhookEndpoint.description, null)
    assert.deepEqual(updated.updateWebhookEndpoint.events, ['product.created', 'order.paid'])

    const rotated = await gqlData<{
      rotateWebhookSecret: { secret: string; endpoint: Endpoint }
    }>(
      ctx,
      `mutation ($id: ID!) {
        rotateWebhookSecret(id: $id, overlapSeconds: 3600) { secret endpoint { ${ENDPOINT_FIELDS} } }
      }`,
      { id: endpoint.id },
      { token: admin },
    )
    assert.match(rotated.rotateWebhookSecret.secret, /^whsec_/)
    assert.notEqual(rotated.rotateWebhookSecret.secret, secret)
    const overlapEnds = Date.parse(rotated.rotateWebhookSecret.endpoint.previousSecretExpiresAt!)
    assert.ok(Math.abs(overlapEnds - Date.now() - 3_600_000) < 60_000)

    // A product created (through REST) fans out to the endpoint: one pending delivery.
    await createProduct(ctx, staff, {})
    await ctx.runtime.relay.drain()
    const DELIVERIES = `query ($id: ID!) {
      webhookEndpoint(id: $id) {
        id
        deliveries(first: 10) {
          nodes { id eventType status attemptCount attempts { attempt } }
          pageInfo { hasNextPage }
        }
      }
    }`
    const withDeliveries = await gqlData<{
      webhookEndpoint: { deliveries: { nodes: Delivery[]; pageInfo: { hasNextPage: boolean } } }
    }>(ctx, DELIVERIES, { id: endpoint.id }, { token: admin })
    const nodes = withDeliveries.webhookEndpoint.deliveries.nodes
    assert.equal(nodes.length, 1)
    assert.equal(nodes[0]!.eventType, 'product.created')
    assert.equal(nodes[0]!.status, 'pending')
    assert.deepEqual(nodes[0]!.attempts, [])

    const retried = await gqlData<{ retryWebhookDelivery: Delivery }>(
      ctx,
      `mutation ($e: ID!, $d: ID!) { retryWebhookDelivery(endpointId: $e, deliveryId: $d) { id status } }`,
      { e: endpoint.id, d: nodes[0]!.id },
      { token: admin },
    )
    assert.deepEqual(retried.retryWebhookDelivery, { id: nodes[0]!.id, status: 'pending' })
    const manual = (await queuedJobs(ctx, nodes[0]!.id)).at(-1)
    assert.deepEqual(manual?.data, { deliveryId: nodes[0]!.id, attempt: 0, manual: true })
    assert.equal(
      await gqlErrorCode(
        ctx,
        `mutation ($e: ID!) { retryWebhookDelivery(endpointId: $e, deliveryId: "msg_nope") { id } }`,
        { e: endpoint.id },
        { token: admin },
      ),
      'webhook_delivery_not_found',
    )

    // webhooks:manage is the admin's alone.
    assert.equal(
      await gqlErrorCode(ctx, `{ webhookEndpoints { nodes { id } } }`, {}, { token: staff }),
      'forbidden',
    )
    assert.equal(await gqlErrorCode(ctx, CREATE, { input }, { token: staff }), 'forbidden')

    const deleted = await gqlData<{ deleteWebhookEndpoint: boolean }>(
      ctx,
      `mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) }`,
      { id: endpoint.id },
      { token: admin },
    )
    assert.equal(deleted.deleteWebhookEndpoint, true)
    const gone = await gqlData<{ webhookEndpoint: Endpoint | null }>(
      ctx,
      `query ($id: ID!) { webhookEndpoint(id: $id) { id } }`,
      { id: endpoint.id },
      { token: admin },
    )
    assert.equal(gone.webhookEndpoint, null)
  })
})
