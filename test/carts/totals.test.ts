import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { computeTotals, lineTax } from '../../src/modules/carts/carts.totals.js'
import { divRoundHalfUp } from '../../src/shared/money.js'

const DE = 1900
const FR = 2000

describe('divRoundHalfUp', () => {
  test('rounds halves up and everything else to the nearest integer', () => {
    assert.equal(divRoundHalfUp(5, 2), 3)
    assert.equal(divRoundHalfUp(3, 2), 2)
    assert.equal(divRoundHalfUp(1, 2), 1)
    assert.equal(divRoundHalfUp(1, 3), 0)
    assert.equal(divRoundHalfUp(2, 3), 1)
    assert.equal(divRoundHalfUp(-5, 2), -3, 'half away from zero for negatives')
  })

  test('stays exact past 2^53 intermediate products', () => {
    assert.equal(divRoundHalfUp(9_007_199_254_740_991, 1), 9_007_199_254_740_991)
    assert.equal(lineTax(1_000_000_000_000, 2300, false), 230_000_000_000)
  })
})

describe('computeTotals', () => {
  test('tax-exclusive prices: tax per line rounded half up, added on top with shipping tax', () => {
    const totals = computeTotals(
      [
        { unitPrice: 999, quantity: 3 }, // 2997 × 19 % = 569.43 → 569
        { unitPrice: 250, quantity: 1 }, // 250 × 19 % = 47.5 → 48
      ],
      { taxRateBps: DE, pricesIncludeTax: false, shipping: 490 }, // 490 × 19 % = 93.1 → 93
    )
    assert.deepEqual(totals, {
      subtotal: 3247,
      discount: 0,
      shipping: 490,
      tax: 569 + 48 + 93,
      total: 3247 + 490 + 710,
      lines: [
        { total: 2997, discount: 0, tax: 569 },
        { total: 250, discount: 0, tax: 48 },
      ],
    })
  })

  test('rounding is per line, not on the sum: two half cents make a whole one each', () => {
    const lines = [
      { unitPrice: 250, quantity: 1 },
      { unitPrice: 250, quantity: 1 },
    ]
    const totals = computeTotals(lines, { taxRateBps: DE, pricesIncludeTax: false, shipping: 0 })
    assert.equal(totals.tax, 96, 'rounded on the sum it would be 95')
    assert.equal(totals.total, 596)
  })

  test('tax-inclusive prices: the tax is the part of the price that is tax, total unchanged', () => {
    const totals = computeTotals([{ unitPrice: 1190, quantity: 2 }], {
      taxRateBps: DE,
      pricesIncludeTax: true,
      shipping: 490, // 490 × 19 / 119 = 78.24 → 78
    })
    assert.deepEqual(totals, {
      subtotal: 2380,
      discount: 0,
      shipping: 490,
      tax: 380 + 78,
      total: 2870,
      lines: [{ total: 2380, discount: 0, tax: 380 }],
    })
  })

  test('tax-inclusive half cents round up (not to even)', () => {
    // 3 × 20 / 120 = 0.5 → 1 (half-even would give 0); 9 × 20 / 120 = 1.5 → 2
    const totals = computeTotals(
      [
        { unitPrice: 3, quantity: 1 },
        { unitPrice: 9, quantity: 1 },
      ],
      { taxRateBps: FR, pricesIncludeTax: true, shipping: 0 },
    )
    assert.deepEqual(
      totals.lines.map((l) => l.tax),
      [1, 2],
    )
    assert.equal(totals.tax, 3)
    assert.equal(totals.total, 12)
  })

  test('the same cart tax-inclusive and exclusive at 20 %', () => {
    const lines = [{ unitPrice: 1999, quantity: 1 }]
    const inclusive = computeTotals(lines, { taxRateBps: FR, pricesIncludeTax: true, shipping: 0 })
    const exclusive = computeTotals(lines, { taxRateBps: FR, pricesIncludeTax: false, shipping: 0 })
    assert.equal(inclusive.tax, 333) // 1999 / 6 = 333.17
    assert.equal(inclusive.total, 1999)
    assert.equal(exclusive.tax, 400) // 399.8
    assert.equal(exclusive.total, 2399)
  })

  test('no tax rate (no country yet, or a 0 % country) and an empty cart', () => {
    const lines = [{ unitPrice: 1000, quantity: 2 }]
    const totals = computeTotals(lines, { taxRateBps: 0, pricesIncludeTax: false, shipping: 500 })
    assert.equal(totals.tax, 0)
    assert.equal(totals.total, 2500)
    const empty = computeTotals([], { taxRateBps: DE, pricesIncludeTax: true, shipping: 0 })
    assert.deepEqual(empty, { subtotal: 0, discount: 0, shipping: 0, tax: 0, total: 0, lines: [] })
  })

  test('refuses floats and out-of-range rates', () => {
    const opts = { taxRateBps: DE, pricesIncludeTax: true, shipping: 0 }
    assert.throws(() => computeTotals([{ unitPrice: 9.99, quantity: 1 }], opts), RangeError)
    assert.throws(() => computeTotals([{ unitPrice: -1, quantity: 1 }], opts), RangeError)
    assert.throws(() => computeTotals([], { ...opts, taxRateBps: 19.5 }), RangeError)
    assert.throws(() => computeTotals([], { ...opts, shipping: 4.9 }), RangeError)
  })
})
