import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { ADDRESS, stockedVariant } from '../checkout/support.js'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { call, connectAgent, guestCart, refusal } from './support.js'

interface Cart {
  id: string
  token: string
}

describe(`MCP server: refused tool calls on ${engine}`, () => {
  let ctx: TestContext
  let staff: string
  let agent: Client

  before(async () => {
    ctx = await createTestContext()
    staff = await ctx.tokenFor('staff')
    agent = await connectAgent(await ctx.app.listen({ port: 0, host: '127.0.0.1' }))
  })
  after(async () => {
    await agent.close()
    await ctx.close()
  })

  test('an unknown variant is variant_unavailable, as REST says, and the cart stays empty', async () => {
    const cart = await call<Cart>(agent, 'create_cart', {})
    const problem = await refusal(agent, 'add_to_cart', {
      cartId: cart.id,
      cartToken: cart.token,
      variantId: 'var_doesnotexist',
      quantity: 1,
    })
    const rest = await ctx.app.inject({
      method: 'POST',
      url: `/v1/carts/${cart.id}/items`,
      headers: { 'x-cart-token': cart.token },
      payload: { variantId: 'var_doesnotexist', quantity: 1 },
    })
    assert.equal(problem.code, 'variant_unavailable')
    assert.equal(problem.code, (rest.json() as { code: string }).code)
    assert.equal(problem.status, rest.statusCode)
    const after = await call<{ items: unknown[] }>(agent, 'get_cart', {
      cartId: cart.id,
      cartToken: cart.token,
    })
    assert.deepEqual(after.items, [])
  })

  test('checkout with too little stock is out_of_stock and places no order', async () => {
    const variantId = await stockedVariant(ctx, staff, 1)
    const cart = await guestCart(agent, variantId, 2)
    const problem = await refusal(agent, 'checkout', {
      ...cart,
      email: 'short@example.test',
      shippingAddress: ADDRESS,
      paymentToken: 'tok_visa',
    })
    assert.equal(problem.code, 'out_of_stock')
    assert.equal(problem.status, 409)
    const open = await call<{ status: string }>(agent, 'get_cart', cart)
    assert.equal(open.status, 'open')
  })

  test('a declined card is payment_declined', async () => {
    const variantId = await stockedVariant(ctx, staff, 5)
    const cart = await guestCart(agent, variantId)
    const problem = await refusal(agent, 'checkout', {
      ...cart,
      email: 'declined@example.test',
      shippingAddress: ADDRESS,
      paymentToken: 'tok_declined',
    })
    assert.equal(problem.code, 'payment_declined')
    assert.equal(problem.status, 402)
  })

  test('a wrong or missing cart token is cart_not_found, for every cart tool', async () => {
    const variantId = await stockedVariant(ctx, staff, 5)
    const cart = await call<Cart>(agent, 'create_cart', {})
    const wrong = { cartId: cart.id, cartToken: `${cart.token.slice(0, -2)}xx` }
    for (const [name, args] of [
      ['add_to_cart', { ...wrong, variantId, quantity: 1 }],
      ['get_cart', wrong],
      ['get_cart', { cartId: cart.id }],
      [
        'checkout',
        { ...wrong, email: 'x@example.test', shippingAddress: ADDRESS, paymentToken: 'tok_visa' },
      ],
    ] as const) {
      const problem = await refusal(agent, name, args)
      assert.equal(problem.code, 'cart_not_found', name)
      assert.equal(problem.status, 404)
    }
  })

  test('a wrong order token is order_not_found', async () => {
    const variantId = await stockedVariant(ctx, staff, 5)
    const cart = await guestCart(agent, variantId)
    const placed = await call<{ order: { id: string }; orderToken: string }>(agent, 'checkout', {
      ...cart,
      email: 'guest@example.test',
      shippingAddress: ADDRESS,
      paymentToken: 'tok_visa',
    })
    for (const orderToken of [`${placed.orderToken}x`, cart.cartToken, undefined]) {
      const problem = await refusal(agent, 'get_order', {
        orderId: placed.order.id,
        ...(orderToken ? { orderToken } : {}),
      })
      assert.equal(problem.code, 'order_not_found')
    }
  })

  test('invalid arguments are validation_failed with a JSON pointer per error', async () => {
    // As REST: the first error found, with its pointer under the arguments.
    const missing = await refusal(agent, 'add_to_cart', { cartId: 'cart_x', quantity: 1 })
    assert.equal(missing.code, 'validation_failed')
    assert.equal(missing.status, 400)
    assert.deepEqual(
      missing.errors?.map((e) => e.path),
      ['/arguments/variantId'],
    )
    const zero = await refusal(agent, 'add_to_cart', {
      cartId: 'cart_x',
      variantId: 'var_x',
      quantity: 0,
    })
    assert.deepEqual(zero.errors, [{ path: '/arguments/quantity', message: 'must be >= 1' }])

    const unknown = await refusal(agent, 'search_products', { query: 'x', colour: 'red' })
    assert.deepEqual(unknown.errors, [
      { path: '/arguments/colour', message: 'is not a known field' },
    ])

    const email = await refusal(agent, 'checkout', {
      cartId: 'cart_x',
      email: 'not an email',
      shippingAddress: ADDRESS,
      paymentToken: 'tok_visa',
    })
    assert.deepEqual(
      email.errors?.map((e) => e.path),
      ['/arguments/email'],
    )
  })

  test('an unknown tool is a protocol error, not a tool result', async () => {
    await assert.rejects(agent.callTool({ name: 'drop_tables', arguments: {} }), {
      code: -32602,
    })
  })
})
