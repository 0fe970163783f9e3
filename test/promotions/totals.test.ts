import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { allocateDiscount, computeTotals } from '../../src/modules/carts/index.js'
import { discountFor } from '../../src/modules/promotions/index.js'

const DE = 1900

describe('allocateDiscount (largest remainder)', () => {
  test('splits exactly in proportion when the shares are whole', () => {
    assert.deepEqual(allocateDiscount([2380, 2500], 488), [238, 250])
  })

  test('the units left after flooring go to the largest remainders', () => {
    // exact shares 243.85 and 256.15: floors 243 + 256 = 499, the last unit to the .85
    assert.deepEqual(allocateDiscount([2380, 2500], 500), [244, 256])
    // three equal lines, 100 off: 33.33 each, the extra unit to the first (ties: earlier line)
    assert.deepEqual(allocateDiscount([1000, 1000, 1000], 100), [34, 33, 33])
  })

  test('the shares always add up to the discount and never pass a line', () => {
    const cases: [number[], number][] = [
      [[1, 1, 1], 2],
      [[999, 1, 1], 500],
      [[7, 13, 0, 29], 48],
      [[3, 5], 8],
      [[1_000_000_000_000, 3], 777_777_777_777],
    ]
    for (const [amounts, discount] of cases) {
      const shares = allocateDiscount(amounts, discount)
      assert.equal(
        shares.reduce((a, b) => a + b, 0),
        discount,
      )
      shares.forEach((s, i) => assert.ok(s >= 0 && s <= amounts[i]!, `${s} > ${amounts[i]}`))
    }
  })

  test('a discount above the subtotal is capped at it; zero lines get nothing', () => {
    assert.deepEqual(allocateDiscount([300, 200], 1000), [300, 200])
    assert.deepEqual(allocateDiscount([0, 500], 100), [0, 100])
    assert.deepEqual(allocateDiscount([], 100), [])
    assert.deepEqual(allocateDiscount([0, 0], 100), [0, 0])
    assert.throws(() => allocateDiscount([100], 1.5), RangeError)
    assert.throws(() => allocateDiscount([100], -1), RangeError)
  })
})

describe('discountFor', () => {
  test('percentages in basis points, rounded half up on the subtotal', () => {
    const pct = (bps: number, subtotal: number) =>
      discountFor({ kind: 'percentage', percentOffBps: bps, amountOff: null }, 'EUR', subtotal)
        .discount
    assert.equal(pct(1000, 4880), 488)
    assert.equal(pct(1000, 1235), 124, '123.5 rounds up')
    assert.equal(pct(1000, 1234), 123, '123.4 rounds down')
    assert.equal(pct(10_000, 999), 999, '100 % is the whole subtotal')
    assert.equal(pct(1500, 0), 0)
    assert.equal(pct(2500, 1_000_000_000_000), 250_000_000_000, 'exact past 2^53 products')
  })

  test('a fixed amount is per currency and capped at the subtotal; free shipping discounts 0', () => {
    const fixed = { kind: 'fixed_amount' as const, percentOffBps: null, amountOff: { EUR: 500 } }
    assert.deepEqual(discountFor(fixed, 'EUR', 4880), { discount: 500, freeShipping: false })
    assert.deepEqual(discountFor(fixed, 'EUR', 300), { discount: 300, freeShipping: false })
    assert.deepEqual(discountFor(fixed, 'USD', 4880), { discount: 0, freeShipping: false })
    const free = { kind: 'free_shipping' as const, percentOffBps: null, amountOff: null }
    assert.deepEqual(discountFor(free, 'EUR', 4880), { discount: 0, freeShipping: true })
  })
})

describe('computeTotals with a discount', () => {
  const lines = [
    { unitPrice: 1190, quantity: 2 },
    { unitPrice: 2500, quantity: 1 },
  ]

  test('tax-inclusive: each line is taxed on its discounted amount, rounded per line', () => {
    const totals = computeTotals(lines, {
      taxRateBps: DE,
      pricesIncludeTax: true,
      shipping: 490,
      discount: 500,
    })
    // lines 2380 − 244 = 2136 → 341.04 → 341; 2500 − 256 = 2244 → 358.28 → 358; shipping 78
    assert.deepEqual(totals, {
      subtotal: 4880,
      discount: 500,
      shipping: 490,
      tax: 341 + 358 + 78,
      total: 4880 - 500 + 490,
      lines: [
        { total: 2380, discount: 244, tax: 341 },
        { total: 2500, discount: 256, tax: 358 },
      ],
    })
  })

  test('tax-exclusive: tax on the discounted lines is added on top', () => {
    const totals = computeTotals(lines, {
      taxRateBps: DE,
      pricesIncludeTax: false,
      shipping: 490,
      discount: 488,
    })
    // 2142 × 19 % = 406.98 → 407; 2250 × 19 % = 427.5 → 428; shipping 93.1 → 93
    assert.equal(totals.tax, 407 + 428 + 93)
    assert.equal(totals.total, 4880 - 488 + 490 + 928)
    assert.deepEqual(
      totals.lines.map((l) => l.discount),
      [238, 250],
    )
  })

  test('free shipping counts shipping and its tax as 0', () => {
    const totals = computeTotals(lines, {
      taxRateBps: DE,
      pricesIncludeTax: true,
      shipping: 490,
      freeShipping: true,
    })
    assert.equal(totals.shipping, 0)
    assert.equal(totals.discount, 0)
    assert.equal(totals.tax, 380 + 399)
    assert.equal(totals.total, 4880)
  })

  test('a discount larger than the subtotal takes it to 0, never below; shipping stays', () => {
    const totals = computeTotals([{ unitPrice: 300, quantity: 1 }], {
      taxRateBps: DE,
      pricesIncludeTax: false,
      shipping: 490,
      discount: 1000,
    })
    assert.equal(totals.discount, 300)
    assert.equal(totals.lines[0]!.tax, 0)
    assert.equal(totals.total, 490 + 93)
  })
})
