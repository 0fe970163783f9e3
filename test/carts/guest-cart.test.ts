import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createProduct } from '../helpers/catalog.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { amounts, cartCall, guestCart, type CartAuth, type CartBody } from './support.js'

let ctx: TestContext
let staff: string
let shirt: string // 11.90 EUR, 15.00 USD
let mug: string // 25.00 EUR only
let draft: string // unpublished

before(async () => {
  ctx = await createTestContext()
  staff = await ctx.tokenFor('staff')
  shirt = (
    await createProduct(ctx, staff, {
      variants: [{ price: 1190, prices: [{ amount: 1500, currency: 'USD' }] }],
    })
  ).variants[0]!.id
  mug = (await createProduct(ctx, staff, { variants: [{ price: 2500 }] })).variants[0]!.id
  draft = (await createProduct(ctx, staff, { status: 'draft' })).variants[0]!.id
})
after(async () => {
  await ctx.close()
})

const add = (id: string, auth: CartAuth, variantId: string, quantity: number) =>
  cartCall(ctx, 'POST', `/v1/carts/${id}/items`, auth, { variantId, quantity })

describe('guest carts', () => {
  test('create, add (same variant merges), change and remove lines with server totals', async () => {
    const { cart, auth } = await guestCart(ctx)
    assert.match(cart.id, /^cart_[0-9a-z]{26}$/)
    assert.match(cart.token!, /^ct_[\w-]{43}$/, '256 random bits, base64url')
    assert.equal(cart.currency, 'EUR', 'the store currency by default')
    assert.deepEqual(amounts(cart), { subtotal: 0, discount: 0, shipping: 0, tax: 0, total: 0 })
    assert.equal(cart.taxInfo.country, null)
    assert.ok(cart.taxInfo.note, 'no country yet: the zero tax is explained')

    const first = await add(cart.id, auth, shirt, 2)
    assert.equal(first.statusCode, 201, first.body)
    assert.equal(amounts(first.json()).subtotal, 2380)

    await add(cart.id, auth, shirt, 1)
    const withMug = (await add(cart.id, auth, mug, 1)).json() as CartBody
    assert.equal(withMug.items.length, 2, 'the shirt was added twice but is one line')
    const shirtLine = withMug.items.find((i) => i.variantId === shirt)!
    assert.equal(shirtLine.quantity, 3)
    assert.deepEqual(shirtLine.unitPrice, { amount: 1190, currency: 'EUR' })
    assert.deepEqual(shirtLine.lineTotal, { amount: 3570, currency: 'EUR' })
    assert.deepEqual(amounts(withMug), {
      subtotal: 6070,
      discount: 0,
      shipping: 0,
      tax: 0,
      total: 6070,
    })

    const url = (itemId: string) => `/v1/carts/${cart.id}/items/${itemId}`
    const mugLine = withMug.items.find((i) => i.variantId === mug)!
    const fewer = await cartCall(ctx, 'PATCH', url(shirtLine.id), auth, { quantity: 1 })
    assert.equal(fewer.statusCode, 200, fewer.body)
    assert.equal(amounts(fewer.json()).total, 3690)

    const zero = (await cartCall(ctx, 'PATCH', url(mugLine.id), auth, { quantity: 0 })).json()
    assert.deepEqual(
      (zero as CartBody).items.map((i) => i.variantId),
      [shirt],
      'quantity 0 removes the line',
    )
    const removed = await cartCall(ctx, 'DELETE', url(shirtLine.id), auth)
    assert.equal(removed.statusCode, 200, removed.body)
    assert.equal((removed.json() as CartBody).items.length, 0)
    assert.equal((await cartCall(ctx, 'DELETE', url(shirtLine.id), auth)).statusCode, 404)

    const stored = (await cartCall(ctx, 'GET', `/v1/carts/${cart.id}`, auth)).json() as CartBody
    assert.equal(stored.items.length, 0)
    assert.equal(stored.token, undefined, 'the token is shown only at creation')
  })

  test('quantities are 1..99 per line, also after merging', async () => {
    const { cart, auth } = await guestCart(ctx)
    assert.equal((await add(cart.id, auth, shirt, 0)).statusCode, 400)
    assert.equal((await add(cart.id, auth, shirt, 100)).statusCode, 400)
    assert.equal((await add(cart.id, auth, shirt, 98)).statusCode, 201)
    const over = await add(cart.id, auth, shirt, 2)
    assert.equal(over.statusCode, 400)
    assert.equal(over.json().code, 'quantity_too_large')
    const line = ((await cartCall(ctx, 'GET', `/v1/carts/${cart.id}`, auth)).json() as CartBody)
      .items[0]!
    assert.equal(line.quantity, 98, 'the refused add changed nothing')
    const patch = await cartCall(ctx, 'PATCH', `/v1/carts/${cart.id}/items/${line.id}`, auth, {
      quantity: 100,
    })
    assert.equal(patch.statusCode, 400)
  })

  test('unknown or unpublished variants and variants unpriced in the currency are refused', async () => {
    const eur = await guestCart(ctx)
    const unknown = await add(eur.cart.id, eur.auth, 'var_00000000000000000000000000', 1)
    assert.equal(unknown.statusCode, 409)
    assert.equal(unknown.json().code, 'variant_unavailable')
    const unpublished = await add(eur.cart.id, eur.auth, draft, 1)
    assert.equal(unpublished.json().code, 'variant_unavailable')

    const usd = await guestCart(ctx, 'usd')
    assert.equal(usd.cart.currency, 'USD')
    const noPrice = await add(usd.cart.id, usd.auth, mug, 1)
    assert.equal(noPrice.statusCode, 409)
    assert.equal(noPrice.json().code, 'price_unavailable')
    const priced = (await add(usd.cart.id, usd.auth, shirt, 2)).json() as CartBody
    assert.equal(amounts(priced).subtotal, 3000, 'priced in USD')
  })

  test('a cart currency must be one the store sells in', async () => {
    const odd = await cartCall(ctx, 'POST', '/v1/carts', {}, { currency: 'JPY' })
    assert.equal(odd.statusCode, 400)
    assert.equal(odd.json().code, 'currency_unsupported')
    const malformed = await cartCall(ctx, 'POST', '/v1/carts', {}, { currency: 'euro' })
    assert.equal(malformed.statusCode, 400)
    assert.equal((await guestCart(ctx, 'GBP')).cart.currency, 'GBP')
  })
})

describe('tax and shipping (tax-inclusive store prices)', () => {
  test('the shipping country sets the tax; standard shipping is free from 50.00 EUR', async () => {
    const { cart, auth } = await guestCart(ctx)
    const cartUrl = `/v1/carts/${cart.id}`
    await add(cart.id, auth, shirt, 2)
    const de = await cartCall(ctx, 'PATCH', cartUrl, auth, {
      email: 'Guest@Example.test',
      shippingAddress: { name: 'Ada', line1: 'Hauptstr. 1', city: 'Berlin', country: 'de' },
    })
    assert.equal(de.statusCode, 200, de.body)
    const taxed = de.json() as CartBody & { email: string }
    assert.equal(taxed.email, 'guest@example.test')
    assert.deepEqual(taxed.taxInfo, {
      country: 'DE',
      rateBps: 1900,
      pricesIncludeTax: true,
      note: null,
    })
    // 2380 gross at 19 %: 2380 × 19 / 119 = 380 tax, inside the price.
    assert.deepEqual(amounts(taxed), {
      subtotal: 2380,
      discount: 0,
      shipping: 0,
      tax: 380,
      total: 2380,
    })

    const methods = await cartCall(ctx, 'GET', `${cartUrl}/shipping-methods`, auth)
    assert.equal(methods.statusCode, 200, methods.body)
    assert.deepEqual(
      methods
        .json()
        .data.map((m: { id: string; price: { amount: number } }) => [m.id, m.price.amount]),
      [
        ['standard', 490],
        ['express', 1490],
      ],
    )

    const standard = await cartCall(ctx, 'PATCH', cartUrl, auth, { shippingMethodId: 'standard' })
    // Shipping is taxed like a line: 490 × 19 / 119 = 78.2 → 78.
    assert.deepEqual(amounts(standard.json()), {
      subtotal: 2380,
      discount: 0,
      shipping: 490,
      tax: 458,
      total: 2870,
    })

    await add(cart.id, auth, mug, 1) // 4880: still below the threshold
    const below = (await cartCall(ctx, 'GET', cartUrl, auth)).json() as CartBody
    assert.equal(amounts(below).shipping, 490)
    const free = (await add(cart.id, auth, mug, 1)).json() as CartBody // 7380
    // 5000 × 19 / 119 = 798.3 → 798
    assert.deepEqual(amounts(free), {
      subtotal: 7380,
      discount: 0,
      shipping: 0,
      tax: 1178,
      total: 7380,
    })
    const freeMethods = (await cartCall(ctx, 'GET', `${cartUrl}/shipping-methods`, auth)).json()
    assert.equal(freeMethods.data[0].price.amount, 0)
    assert.deepEqual(freeMethods.data[0].freeFrom, { amount: 5000, currency: 'EUR' })
  })

  test('a method the new country lacks is dropped; unknown countries and methods are refused', async () => {
    const { cart, auth } = await guestCart(ctx)
    const cartUrl = `/v1/carts/${cart.id}`
    await cartCall(ctx, 'PATCH', cartUrl, auth, { shippingAddress: { country: 'FR' } })
    const express = await cartCall(ctx, 'PATCH', cartUrl, auth, { shippingMethodId: 'express' })
    assert.equal((express.json() as CartBody).shippingMethodId, 'express')
    const us = await cartCall(ctx, 'PATCH', cartUrl, auth, { shippingAddress: { country: 'US' } })
    const moved = us.json() as CartBody
    assert.equal(moved.shippingMethodId, null, 'express does not ship to the US')
    assert.equal(moved.taxInfo.rateBps, 0)

    const refused = await cartCall(ctx, 'PATCH', cartUrl, auth, { shippingMethodId: 'express' })
    assert.equal(refused.statusCode, 409)
    assert.equal(refused.json().code, 'shipping_method_unavailable')
    const nowhere = await cartCall(ctx, 'PATCH', cartUrl, auth, {
      shippingAddress: { country: 'ZZ' },
    })
    assert.equal(nowhere.statusCode, 400)
    assert.equal(nowhere.json().code, 'country_unsupported')
  })
})
