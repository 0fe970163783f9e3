import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { CompiledQuery, type Kysely } from 'kysely'
import { productListingSql } from '../../src/modules/catalog/index.js'
import { createTestContext, engine, type TestContext } from '../helpers/context.js'
import { createProduct } from '../helpers/catalog.js'

// The default storefront listing (newest first) decides "has a price" and builds the variants
// in one aggregate over variants and prices: its plan reads catalog.variant once, not twice.

let ctx: TestContext

before(async () => {
  ctx = await createTestContext()
  const staff = await ctx.tokenFor('staff')
  for (let i = 0; i < 3; i++) await createProduct(ctx, staff, {})
})
after(() => ctx.close())

interface PlanNode {
  'Node Type': string
  'Relation Name'?: string
  'Index Name'?: string
  Plans?: PlanNode[]
}

function nodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodes)]
}

async function plan(
  statement: { sql: string; parameters: unknown[] },
  db: Pick<Kysely<unknown>, 'executeQuery'> = ctx.database.db,
): Promise<PlanNode[]> {
  const result = await db.executeQuery<{ 'QUERY PLAN': unknown }>(
    CompiledQuery.raw(`explain (format json) ${statement.sql}`, statement.parameters),
  )
  const raw = result.rows[0]!['QUERY PLAN']
  const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[]
  return nodes(parsed[0]!.Plan)
}

test(`the default listing reads variants and prices once per product (${engine})`, async () => {
  const [statement] = productListingSql('EUR', 20)
  const all = await plan(statement!)
  const reads = (table: string) => all.filter((n) => n['Relation Name'] === table).length
  assert.equal(reads('variant'), 1, JSON.stringify(all.map((n) => n['Node Type'])))
  assert.equal(reads('variant_price'), 1)
  assert.equal(reads('product'), 1)
})

// A test database holds a handful of products, where a seq scan and a sort are the better plan;
// with both priced out, the planner must still find an index that gives the page its order (the
// partial index only matches while the status stays a literal in the SQL).
test('the default listing can walk product_listing_idx newest first', async () => {
  const [statement] = productListingSql('EUR', 20)
  const all = await ctx.database.db.transaction().execute(async (trx) => {
    await trx.executeQuery(CompiledQuery.raw('set local enable_seqscan = off'))
    await trx.executeQuery(CompiledQuery.raw('set local enable_sort = off'))
    return plan(statement!, trx)
  })
  const scan = all.find((n) => n['Relation Name'] === 'product')
  assert.equal(scan?.['Index Name'], 'product_listing_idx', JSON.stringify(scan))
})
