import assert from 'node:assert/strict'
import { test } from 'node:test'

import { demoCategories, demoProducts } from './demo-catalog.js'

const allVariants = demoProducts.flatMap((product) => product.variants)

function duplicates(values: string[]): string[] {
  const seen = new Set<string>()
  return values.filter((value) => (seen.has(value) ? true : (seen.add(value), false)))
}

test('has at least 120 products and 10 categories', () => {
  assert.ok(demoProducts.length >= 120, `only ${demoProducts.length} products`)
  assert.ok(demoCategories.length >= 10, `only ${demoCategories.length} categories`)
})

test('category slugs are unique and parents precede children in a two-level tree', () => {
  assert.deepEqual(duplicates(demoCategories.map((category) => category.slug)), [])
  const seen = new Map<string, string | undefined>()
  for (const category of demoCategories) {
    if (category.parentSlug !== undefined) {
      assert.ok(seen.has(category.parentSlug), `${category.slug} listed before its parent`)
      assert.equal(seen.get(category.parentSlug), undefined, `${category.slug} is nested too deep`)
    }
    seen.set(category.slug, category.parentSlug)
  }
})

test('product slugs are unique kebab-case and every categorySlug exists', () => {
  assert.deepEqual(duplicates(demoProducts.map((product) => product.slug)), [])
  const categorySlugs = new Set(demoCategories.map((category) => category.slug))
  for (const product of demoProducts) {
    assert.match(product.slug, /^[a-z0-9]+(-[a-z0-9]+)*$/, product.slug)
    assert.ok(product.title.length > 0 && product.description.length > 0, product.slug)
    assert.ok(product.categorySlugs.length >= 1 && product.categorySlugs.length <= 2, product.slug)
    assert.deepEqual(duplicates(product.categorySlugs), [], product.slug)
    for (const slug of product.categorySlugs) {
      assert.ok(categorySlugs.has(slug), `${product.slug}: unknown category ${slug}`)
    }
  }
})

test('descriptions are distinct', () => {
  assert.deepEqual(duplicates(demoProducts.map((product) => product.description)), [])
})

test('every product has 1..6 variants with sane options', () => {
  for (const product of demoProducts) {
    const count = product.variants.length
    assert.ok(count >= 1 && count <= 6, `${product.slug} has ${count} variants`)
    if (count === 1 && Object.keys(product.variants[0]?.options ?? {}).length === 0) {
      assert.equal(product.variants[0]?.title, 'Default', product.slug)
    }
    assert.deepEqual(duplicates(product.variants.map((variant) => variant.title)), [])
  }
})

test('SKUs are unique and uppercase', () => {
  assert.deepEqual(duplicates(allVariants.map((variant) => variant.sku)), [])
  for (const variant of allVariants) assert.match(variant.sku, /^[A-Z0-9]+(-[A-Z0-9]+)*$/)
})

test('all prices are positive integers in minor units', () => {
  for (const variant of allVariants) {
    for (const currency of ['EUR', 'USD', 'GBP'] as const) {
      const amount = variant.prices[currency]
      assert.ok(Number.isInteger(amount) && amount > 0, `${variant.sku} ${currency} ${amount}`)
    }
  }
  const eur = allVariants.map((variant) => variant.prices.EUR)
  assert.ok(Math.min(...eur) <= 500 && Math.max(...eur) >= 40000, 'price range too narrow')
})

test('stock levels are non-negative integers with some out of stock', () => {
  for (const variant of allVariants) {
    assert.ok(Number.isInteger(variant.onHand) && variant.onHand >= 0, variant.sku)
  }
  assert.ok(
    allVariants.some((variant) => variant.onHand === 0),
    'no out-of-stock variant',
  )
  assert.ok(allVariants.some((variant) => variant.onHand >= 1 && variant.onHand <= 5))
})
