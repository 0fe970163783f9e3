import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { stockedVariant } from '../checkout/support.js'
import {
  ADDRESS,
  agent,
  apiKey,
  assertConforms,
  COMPLETE_BODY,
  createBody,
  sessionOf,
  totalOf,
} from './support.js'

let ctx: TestContext
let key: string
let staff: string

/** Every /acp reply is checked against the spec: a session, a session with its order, or an Error. */
function contract(res: LightMyRequestResponse, schema = 'CheckoutSession') {
  assertConforms(res.statusCode < 300 ? schema : 'Error', res.json())
  return res
}

async function created(items: string[], extra: Record<string, unknown> = {}) {
  const res = contract(
    await agent(ctx, key).post('/acp/checkout_sessions', createBody(items, extra)),
  )
  assert.equal(res.statusCode, 201, res.body)
  return sessionOf(res)
}

before(async () => {
  ctx = await createTestContext()
  staff = await ctx.tokenFor('staff')
  key = await apiKey(ctx, ['agentic_checkout'])
})
after(async () => ctx.close())

describe('ACP checkout sessions', () => {
  test('create → update → complete gives a paid order; retrieve shows it', async () => {
    const variant = await stockedVariant(ctx, staff, 10, 2500)
    const acp = agent(ctx, key)
    const session = await created([variant])
    assert.equal(session.status, 'not_ready_for_payment')
    assert.equal(session.currency, 'eur')
    assert.deepEqual(
      session.line_items.map((l) => [l.item.id, l.quantity, l.unit_amount]),
      [[variant, 1, 2500]],
    )

    const updated = contract(
      await acp.post(`/acp/checkout_sessions/${session.id}`, {
        line_items: [{ id: variant }, { id: variant }],
        fulfillment_details: { name: 'Ada', email: 'ada@example.test', address: ADDRESS },
      }),
    )
    assert.equal(updated.statusCode, 200, updated.body)
    const ready = sessionOf(updated)
    assert.equal(ready.status, 'ready_for_payment')
    assert.equal(ready.line_items[0]!.quantity, 2)
    assert.equal(ready.line_items[0]!.id, variant, "a line item's id is its variant id")
    assert.deepEqual(
      ready.fulfillment_options.map((o) => o.id),
      ['standard', 'express'],
    )
    // 2 × 25.00 passes the free-shipping threshold of the standard method, picked as the cheapest.
    assert.equal(ready.selected_fulfillment_options[0]!.option_id, 'standard')
    assert.equal(totalOf(ready, 'total'), 5000)

    const express = sessionOf(
      contract(
        await acp.post(`/acp/checkout_sessions/${session.id}`, {
          selected_fulfillment_options: [
            { type: 'shipping', option_id: 'express', item_ids: [variant] },
          ],
        }),
      ),
    )
    assert.equal(express.selected_fulfillment_options[0]!.option_id, 'express')
    assert.equal(totalOf(express, 'fulfillment'), 1490)
    assert.equal(totalOf(express, 'total'), 6490)

    const completed = contract(
      await acp.post(`/acp/checkout_sessions/${session.id}/complete`, COMPLETE_BODY),
      'CheckoutSessionWithOrder',
    )
    assert.equal(completed.statusCode, 200, completed.body)
    const done = sessionOf(completed)
    assert.equal(done.status, 'completed')
    assert.equal(done.order!.checkout_session_id, session.id)
    assert.equal(done.order!.status, 'confirmed')
    const order = await ctx.runtime.modules.orders.service.ownerView(done.order!.id)
    assert.equal(order.status, 'paid')
    assert.equal(order.totals.total.amount, 6490)
    assert.equal(order.email, 'ada@example.test')

    const read = contract(await acp.get(`/acp/checkout_sessions/${session.id}`))
    assert.equal(read.statusCode, 200)
    assert.equal(sessionOf(read).status, 'completed')
    assert.equal(sessionOf(read).order!.id, done.order!.id)
  })

  test('cancel answers the canceled session; canceling again or after completion is 405', async () => {
    const variant = await stockedVariant(ctx, staff, 5)
    const acp = agent(ctx, key)
    const open = await created([variant])
    const canceled = contract(await acp.post(`/acp/checkout_sessions/${open.id}/cancel`, {}))
    assert.equal(canceled.statusCode, 200)
    assert.equal(sessionOf(canceled).status, 'canceled')
    const again = contract(await acp.post(`/acp/checkout_sessions/${open.id}/cancel`, {}))
    assert.equal(again.statusCode, 405)

    const paid = await created([variant], { fulfillment_details: { address: ADDRESS } })
    const completed = await acp.post(`/acp/checkout_sessions/${paid.id}/complete`, COMPLETE_BODY)
    assert.equal(completed.statusCode, 200, completed.body)
    const late = contract(await acp.post(`/acp/checkout_sessions/${paid.id}/cancel`, {}))
    assert.equal(late.statusCode, 405)
    assert.equal(late.json().type, 'invalid_request')
  })

  test('an unknown item and an out-of-stock item are messages; the session is not ready', async () => {
    const soldOut = await stockedVariant(ctx, staff, 0)
    const session = await created(['var_does_not_exist', soldOut], {
      fulfillment_details: { address: ADDRESS },
    })
    assert.equal(session.status, 'not_ready_for_payment')
    const codes = session.messages.map((m) => [m.type, m.code, m.param])
    assert.deepEqual(codes, [
      ['error', 'not_found', '$.line_items[0].id'],
      ['error', 'out_of_stock', '$.line_items[0]'],
    ])
    const refused = contract(
      await agent(ctx, key).post(`/acp/checkout_sessions/${session.id}/complete`, COMPLETE_BODY),
    )
    assert.equal(refused.statusCode, 400)
    assert.equal(refused.json().code, 'checkout_session_not_ready')
  })

  test('a country the store does not ship to is a region_restricted message', async () => {
    const variant = await stockedVariant(ctx, staff, 5)
    const session = await created([variant], {
      fulfillment_details: { address: { ...ADDRESS, country: 'JP' } },
    })
    assert.equal(session.status, 'not_ready_for_payment')
    assert.deepEqual(
      session.messages.map((m) => [m.code, m.param]),
      [['region_restricted', '$.fulfillment_details.address.country']],
    )
  })

  test('a declined card is 402 payment_declined; the session stays ready, with a message', async () => {
    const variant = await stockedVariant(ctx, staff, 5)
    const acp = agent(ctx, key)
    const session = await created([variant], { fulfillment_details: { address: ADDRESS } })
    const declinedBody = {
      ...COMPLETE_BODY,
      payment_data: {
        ...COMPLETE_BODY.payment_data,
        instrument: { type: 'card', credential: { type: 'spt', token: 'tok_declined' } },
      },
    }
    const declined = contract(
      await acp.post(`/acp/checkout_sessions/${session.id}/complete`, declinedBody),
    )
    assert.equal(declined.statusCode, 402)
    assert.equal(declined.json().code, 'payment_declined')
    const read = sessionOf(contract(await acp.get(`/acp/checkout_sessions/${session.id}`)))
    assert.equal(read.status, 'ready_for_payment')
    assert.deepEqual(
      read.messages.map((m) => m.code),
      ['payment_declined'],
    )
    // Another card completes the same session at once; the message is gone with the order.
    const paid = contract(
      await acp.post(`/acp/checkout_sessions/${session.id}/complete`, COMPLETE_BODY),
      'CheckoutSessionWithOrder',
    )
    assert.equal(paid.statusCode, 200, paid.body)
  })

  test('more units than in stock fail at completion: 409 out_of_stock naming the line', async () => {
    const variant = await stockedVariant(ctx, staff, 1)
    const session = await created([variant, variant], {
      fulfillment_details: { address: ADDRESS },
    })
    assert.equal(session.status, 'ready_for_payment')
    const res = contract(
      await agent(ctx, key).post(`/acp/checkout_sessions/${session.id}/complete`, COMPLETE_BODY),
    )
    assert.equal(res.statusCode, 409)
    assert.equal(res.json().code, 'out_of_stock')
    assert.equal(res.json().param, '$.line_items[0]')
  })

  test('a retrieve of an unknown session, or of another key, is 404', async () => {
    const other = await apiKey(ctx, ['agentic_checkout'])
    const variant = await stockedVariant(ctx, staff, 5)
    const session = await created([variant])
    const foreign = contract(await agent(ctx, other).get(`/acp/checkout_sessions/${session.id}`))
    assert.equal(foreign.statusCode, 404)
    const unknown = contract(await agent(ctx, key).get('/acp/checkout_sessions/cs_nope'))
    assert.equal(unknown.statusCode, 404)
  })
})

describe('ACP request rules', () => {
  test('no key is 401; a key without agentic_checkout is 403', async () => {
    const none = contract(await agent(ctx, null).post('/acp/checkout_sessions', createBody(['x'])))
    assert.equal(none.statusCode, 401)
    const catalogKey = await apiKey(ctx, ['catalog:read'])
    const forbidden = contract(
      await agent(ctx, catalogKey).post('/acp/checkout_sessions', createBody(['x'])),
    )
    assert.equal(forbidden.statusCode, 403)
    const admin = await ctx.tokenFor('admin')
    const signedIn = contract(
      await agent(ctx, admin).post('/acp/checkout_sessions', createBody(['x'])),
    )
    assert.equal(signedIn.statusCode, 403)
    assert.equal(signedIn.json().code, 'api_key_required')
  })

  test('a POST without Idempotency-Key is 400 idempotency_key_required', async () => {
    const res = contract(
      await agent(ctx, key).post('/acp/checkout_sessions', createBody(['x']), {
        idempotencyKey: null,
      }),
    )
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'idempotency_key_required')
  })

  test('the same key replays the first reply; with another body it is 422 idempotency_conflict', async () => {
    const variant = await stockedVariant(ctx, staff, 5)
    const acp = agent(ctx, key)
    const idempotencyKey = `same-${Date.now()}`
    const first = await acp.post('/acp/checkout_sessions', createBody([variant]), {
      idempotencyKey,
    })
    const replay = await acp.post('/acp/checkout_sessions', createBody([variant]), {
      idempotencyKey,
    })
    assert.equal(first.statusCode, 201)
    assert.equal(replay.statusCode, 201)
    assert.equal(replay.headers['idempotent-replayed'], 'true')
    assert.equal(replay.headers['idempotency-key'], idempotencyKey)
    assert.equal(sessionOf(replay).id, sessionOf(first).id)
    const conflict = contract(
      await acp.post('/acp/checkout_sessions', createBody([variant, variant]), { idempotencyKey }),
    )
    assert.equal(conflict.statusCode, 422)
    assert.equal(conflict.json().code, 'idempotency_conflict')
  })

  test('a body outside the spec is 400 invalid_request naming the field', async () => {
    const res = contract(
      await agent(ctx, key).post('/acp/checkout_sessions', {
        ...createBody(['x']),
        line_items: [{ id: 'x', quantity: 2 }],
      }),
    )
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().param, '$.line_items[0].quantity')
  })

  test('API-Version is required and must be 2026-04-17', async () => {
    const res = contract(
      await agent(ctx, key).get('/acp/checkout_sessions/cs_x', {
        headers: { 'api-version': '2025-09-29' },
      }),
    )
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'unsupported_api_version')
    assert.deepEqual(res.json().supported_versions, ['2026-04-17'])
  })
})
