import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { formatMoney, parseAmount, toInputText } from '../../admin/src/lib/money.js'
import { newProductBody, parseStock, pricesBody } from '../../admin/src/lib/product-form.js'
import { sseParser, type SseEvent } from '../../admin/src/lib/sse.js'

describe('money fields', () => {
  test('typed amounts become exact minor units, in the forms people type them', () => {
    const cases: [string, string, number][] = [
      ['19.99', 'EUR', 1999],
      ['19,99', 'EUR', 1999],
      [' 19.9 ', 'EUR', 1990],
      ['19', 'EUR', 1900],
      ['0.07', 'EUR', 7],
      ['1,234.50', 'EUR', 123450],
      ['500', 'JPY', 500],
      ['1.234', 'KWD', 1234],
      // 0.1 + 0.2 style floating point would give 2.9999…: parsing is done on the digits.
      ['0.29', 'EUR', 29],
    ]
    for (const [text, currency, amount] of cases) {
      assert.deepEqual(parseAmount(text, currency), { ok: true, amount }, `${text} ${currency}`)
    }
  })

  test('an amount the currency cannot hold is refused with a message for the field', () => {
    const refused: [string, string, RegExp][] = [
      ['', 'EUR', /Enter an amount/],
      ['19.999', 'EUR', /at most 2 decimal places/],
      ['5.5', 'JPY', /no decimal places/],
      ['-3', 'EUR', /cannot be negative/],
      ['12abc', 'EUR', /such as 19.99/],
      ['1e3', 'EUR', /such as 19.99/],
    ]
    for (const [text, currency, message] of refused) {
      const parsed = parseAmount(text, currency)
      assert.equal(parsed.ok, false, text)
      if (!parsed.ok) assert.match(parsed.message, message)
    }
  })

  test('minor units show as the currency writes them, and round-trip through the field', () => {
    assert.equal(formatMoney({ amount: 1999, currency: 'EUR' }), '€19.99')
    assert.equal(formatMoney({ amount: 500, currency: 'JPY' }), '¥500')
    assert.equal(toInputText(5, 'EUR'), '0.05')
    assert.equal(toInputText(500, 'JPY'), '500')
    for (const amount of [0, 1, 99, 100, 123456]) {
      assert.deepEqual(parseAmount(toInputText(amount, 'EUR'), 'EUR'), { ok: true, amount })
    }
  })
})

describe('product forms', () => {
  const values = {
    title: ' Linen apron ',
    description: '',
    status: 'draft' as const,
    sku: 'APRON-1',
    price: '29,50',
    currency: 'EUR',
    stock: '12',
  }

  test('a filled new-product form becomes the create body', () => {
    assert.deepEqual(newProductBody(values), {
      ok: true,
      body: {
        title: 'Linen apron',
        status: 'draft',
        variants: [{ sku: 'APRON-1', price: { amount: 2950, currency: 'EUR' }, onHand: 12 }],
      },
    })
  })

  test('every bad field gets its own message, and nothing is sent', () => {
    const checked = newProductBody({ ...values, title: ' ', sku: '', price: 'x', stock: '-1' })
    assert.equal(checked.ok, false)
    if (!checked.ok)
      assert.deepEqual(Object.keys(checked.errors).sort(), ['price', 'sku', 'stock', 'title'])
    assert.deepEqual(parseStock('2.5'), {
      ok: false,
      message: 'Stock is a whole number, 0 or more.',
    })
  })

  test("a variant's price rows become one price per currency; blank rows are dropped", () => {
    assert.deepEqual(
      pricesBody([
        { currency: 'EUR', amount: '10' },
        { currency: 'usd', amount: '11.50' },
        { currency: 'GBP', amount: '' },
      ]),
      {
        ok: true,
        prices: [
          { amount: 1000, currency: 'EUR' },
          { amount: 1150, currency: 'USD' },
        ],
      },
    )
    assert.deepEqual(
      pricesBody([
        { currency: 'EUR', amount: '10' },
        { currency: 'EUR', amount: '12' },
      ]),
      { ok: false, errors: { 1: 'EUR is listed twice.' } },
    )
    assert.deepEqual(pricesBody([{ currency: 'EUR', amount: '' }]), {
      ok: false,
      errors: { 0: 'A variant needs at least one price.' },
    })
  })
})

describe('the order stream parser', () => {
  test('events split across chunks arrive whole; comments and retry lines are skipped', () => {
    const events: SseEvent[] = []
    const feed = sseParser((e) => events.push(e))
    feed('retry: 2000\n\n: keep-alive\n\nid: 3\nevent: order.fulf')
    assert.equal(events.length, 0)
    feed('illed\ndata: {"seq":3,"status":"fulfilled"}\n\nid: 4\r\nevent: order.delivered\r\n')
    feed('data: {"seq":4}\r\n\r\n')
    assert.deepEqual(events, [
      { id: '3', event: 'order.fulfilled', data: '{"seq":3,"status":"fulfilled"}' },
      { id: '4', event: 'order.delivered', data: '{"seq":4}' },
    ])
  })
})
