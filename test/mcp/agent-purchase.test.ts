import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { ADDRESS, stockedVariant } from '../checkout/support.js'
import { createCategory, createProduct } from '../helpers/catalog.js'
import { createTestContext, engine, uniqueSuffix, type TestContext } from '../helpers/context.js'
import { call, connectAgent, guestCart, refusal } from './support.js'

interface Product {
  id: string
  slug: string
  title: string
  variants: { id: string; inStock: boolean; price: { amount: number; currency: string } }[]
}
interface Cart {
  id: string
  token: string | null
  items: { variantId: string; quantity: number }[]
  totals: { total: { amount: number } }
}
interface Order {
  id: string
  status: string
  email: string
  items: { variantId: string; quantity: number }[]
}

describe(`MCP server: an agent's purchase on ${engine}`, () => {
  let ctx: TestContext
  let base: string
  let staff: string
  let agent: Client

  before(async () => {
    ctx = await createTestContext()
    staff = await ctx.tokenFor('staff')
    base = await ctx.app.listen({ port: 0, host: '127.0.0.1' })
    agent = await connectAgent(base)
  })
  after(async () => {
    await agent.close()
    await ctx.close()
  })

  test('lists the storefront tools with their input and output schemas', async () => {
    const { tools } = await agent.listTools()
    const names = tools.map((t) => t.name).sort()
    for (const name of [
      'add_to_cart',
      'checkout',
      'create_cart',
      'get_order',
      'get_product',
      'search_products',
    ]) {
      assert.ok(names.includes(name), `${name} is listed`)
    }
    const byName = new Map(tools.map((t) => [t.name, t]))
    const search = byName.get('search_products')!
    assert.deepEqual(search.inputSchema.required, ['query'])
    assert.equal(search.inputSchema.additionalProperties, false)
    assert.deepEqual(search.inputSchema.properties?.limit, {
      minimum: 1,
      maximum: 100,
      default: 20,
      type: 'integer',
    })
    const checkout = byName.get('checkout')!
    assert.deepEqual(checkout.inputSchema.required, [
      'cartId',
      'email',
      'shippingAddress',
      'paymentToken',
    ])
    assert.deepEqual(byName.get('add_to_cart')!.inputSchema.required, [
      'cartId',
      'variantId',
      'quantity',
    ])
    assert.deepEqual(byName.get('get_order')!.inputSchema.required, ['orderId'])
    for (const tool of tools) {
      assert.equal(tool.outputSchema?.type, 'object', `${tool.name} has an object output schema`)
      assert.equal(tool.inputSchema.type, 'object')
    }
    assert.equal(byName.get('get_product')!.annotations?.readOnlyHint, true)
    assert.equal(byName.get('checkout')!.annotations?.readOnlyHint, false)
  })

  test('search, product, cart, checkout with tok_visa, then the paid order', async () => {
    const word = `zephyr${uniqueSuffix().replace(/[^a-z]/g, '')}`
    const made = await createProduct(ctx, staff, {
      title: `Linen ${word} apron`,
      variants: [{ price: 2900, onHand: 5 }],
    })

    const found = await call<{ data: Product[]; page: { hasMore: boolean } }>(
      agent,
      'search_products',
      { query: word, limit: 5 },
    )
    assert.deepEqual(
      found.data.map((p) => p.id),
      [made.id],
    )

    const product = await call<Product>(agent, 'get_product', { idOrSlug: made.slug })
    assert.equal(product.id, made.id)
    const variant = product.variants[0]!
    assert.equal(variant.inStock, true)
    assert.deepEqual(variant.price, { amount: 2900, currency: 'EUR' })

    const cart = await call<Cart>(agent, 'create_cart', { currency: 'EUR' })
    assert.match(cart.id, /^cart_/)
    assert.ok(cart.token, 'a guest cart has a token')

    const filled = await call<Cart>(agent, 'add_to_cart', {
      cartId: cart.id,
      cartToken: cart.token,
      variantId: variant.id,
      quantity: 2,
    })
    assert.deepEqual(
      filled.items.map((i) => [i.variantId, i.quantity]),
      [[variant.id, 2]],
    )
    assert.ok(filled.totals.total.amount >= 5800)

    const placed = await call<{ order: Order; orderToken: string | null }>(agent, 'checkout', {
      cartId: cart.id,
      cartToken: cart.token,
      email: 'agent@example.test',
      shippingAddress: ADDRESS,
      paymentToken: 'tok_visa',
    })
    assert.equal(placed.order.status, 'paid')
    assert.ok(placed.orderToken, 'a guest order has a token')

    const order = await call<Order>(agent, 'get_order', {
      orderId: placed.order.id,
      orderToken: placed.orderToken,
    })
    assert.equal(order.status, 'paid')
    assert.equal(order.email, 'agent@example.test')
    assert.deepEqual(
      order.items.map((i) => [i.variantId, i.quantity]),
      [[variant.id, 2]],
    )

    // The same order through REST: one implementation behind both.
    const rest = await ctx.app.inject({
      method: 'GET',
      url: `/v1/orders/${placed.order.id}`,
      headers: { 'x-order-token': placed.orderToken },
    })
    assert.equal(rest.statusCode, 200)
    assert.equal((rest.json() as Order).status, 'paid')
    const stock = await ctx.app.inject({
      method: 'GET',
      url: `/v1/admin/products/${made.id}`,
      headers: { authorization: `Bearer ${staff}` },
    })
    const admin = stock.json() as { variants: { onHand: number; available: number }[] }
    assert.equal(admin.variants[0]!.available, 3)
  })

  test("a signed-in customer's cart and order need no tokens, and a guest cannot reach them", async () => {
    const customer = await ctx.tokenFor('customer')
    const signedIn = await connectAgent(base, customer)
    try {
      const variantId = await stockedVariant(ctx, staff, 3)
      const cart = await call<Cart>(signedIn, 'create_cart', {})
      assert.equal(cart.token, null)
      await call(signedIn, 'add_to_cart', { cartId: cart.id, variantId, quantity: 1 })
      const placed = await call<{ order: Order; orderToken: string | null }>(signedIn, 'checkout', {
        cartId: cart.id,
        email: 'customer@example.test',
        shippingAddress: ADDRESS,
        paymentToken: 'tok_visa',
      })
      assert.equal(placed.orderToken, null)
      assert.equal(
        (await call<Order>(signedIn, 'get_order', { orderId: placed.order.id })).status,
        'paid',
      )

      const stranger = await refusal(agent, 'get_order', { orderId: placed.order.id })
      assert.equal(stranger.code, 'order_not_found')
      assert.equal(stranger.status, 404)
    } finally {
      await signedIn.close()
    }
  })

  test('lists and reads the category resources', async () => {
    const parent = await createCategory(ctx, staff, 'Kitchen')
    const child = await createCategory(ctx, staff, 'Aprons', parent.id)

    const { resources } = await agent.listResources()
    assert.ok(resources.some((r) => r.uri === 'emporium://categories'))
    const { resourceTemplates } = await agent.listResourceTemplates()
    assert.ok(resourceTemplates.some((t) => t.uriTemplate === 'emporium://categories/{idOrSlug}'))

    const tree = await agent.readResource({ uri: 'emporium://categories' })
    const content = tree.contents[0] as { uri: string; mimeType: string; text: string }
    assert.equal(content.mimeType, 'application/json')
    const { data } = JSON.parse(content.text) as {
      data: { id: string; children: { id: string }[] }[]
    }
    const kitchen = data.find((c) => c.id === parent.id)
    assert.deepEqual(
      kitchen?.children.map((c) => c.id),
      [child.id],
    )

    const one = await agent.readResource({ uri: `emporium://categories/${child.slug}` })
    const aprons = JSON.parse((one.contents[0] as { text: string }).text) as { id: string }
    assert.equal(aprons.id, child.id)

    await assert.rejects(agent.readResource({ uri: 'emporium://categories/no-such-category' }), {
      code: -32002,
    })
  })
})

describe(`MCP server: checkout retries on ${engine}`, () => {
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

  test('a retry with the idempotencyKey gets the first order and token back, charged once', async () => {
    const product = await createProduct(ctx, staff, { variants: [{ onHand: 5 }] })
    const cart = await guestCart(agent, product.variants[0]!.id)
    const args = {
      ...cart,
      email: 'retry@example.test',
      shippingAddress: ADDRESS,
      paymentToken: 'tok_visa',
      idempotencyKey: `mcp-${uniqueSuffix()}`,
    }
    const first = await call<{ order: Order; orderToken: string }>(agent, 'checkout', args)
    const again = await call<{ order: Order; orderToken: string }>(agent, 'checkout', args)
    assert.equal(again.order.id, first.order.id)
    assert.equal(again.orderToken, first.orderToken)
    assert.equal(again.order.status, 'paid')

    // Without the key the cart is spent: the retry is refused, and nothing is sold twice.
    const { idempotencyKey: _key, ...unkeyed } = args
    assert.equal((await refusal(agent, 'checkout', unkeyed)).code, 'cart_not_open')
    const stock = await ctx.app.inject({
      method: 'GET',
      url: `/v1/admin/products/${product.id}`,
      headers: { authorization: `Bearer ${staff}` },
    })
    const admin = stock.json() as { variants: { available: number }[] }
    assert.equal(admin.variants[0]!.available, 4)
  })

  test('the same key with other arguments is idempotency_key_reused', async () => {
    const variantId = await stockedVariant(ctx, staff, 5)
    const cart = await guestCart(agent, variantId)
    const key = `mcp-${uniqueSuffix()}`
    const base = {
      ...cart,
      shippingAddress: ADDRESS,
      paymentToken: 'tok_visa',
      idempotencyKey: key,
    }
    await call(agent, 'checkout', { ...base, email: 'one@example.test' })
    const problem = await refusal(agent, 'checkout', { ...base, email: 'two@example.test' })
    assert.equal(problem.code, 'idempotency_key_reused')
    assert.equal(problem.status, 422)
  })
})
