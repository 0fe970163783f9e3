import { sql } from 'kysely'
import type { Tx } from '../../src/platform/db/unit-of-work.js'
import type { RedeemInput } from '../../src/modules/promotions/index.js'
import { openDatabase, type Database } from '../../src/platform/db/database.js'
import { createUnitOfWork } from '../../src/platform/db/unit-of-work.js'
import { engine, uniqueSuffix, type TestContext } from '../helpers/context.js'

export interface PromotionBody {
  id: string
  code: string
  kind: string
  description: string | null
  percentOffBps: number | null
  amountOff: { amount: number; currency: string }[] | null
  minimumSubtotal: { amount: number; currency: string }[] | null
  startsAt: string | null
  endsAt: string | null
  usageLimit: number | null
  perCustomerLimit: number | null
  timesUsed: number
  active: boolean
}

export const uniqueCode = (prefix = 'TEST') => `${prefix}-${uniqueSuffix()}`.toUpperCase()

export function adminCall(
  ctx: TestContext,
  token: string,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  return ctx.as(token).request(method, url, payload, headers)
}

/** Creates a promotion through the admin API; `code` defaults to a unique one. */
export async function createPromotion(
  ctx: TestContext,
  token: string,
  body: Record<string, unknown>,
): Promise<PromotionBody> {
  const res = await adminCall(ctx, token, 'POST', '/v1/admin/promotions', {
    code: uniqueCode(),
    ...body,
  })
  if (res.statusCode !== 201) throw new Error(`create promotion: ${res.statusCode} ${res.body}`)
  return res.json() as PromotionBody
}

/** The promotions service inside units of work of the test's own, as the checkout calls it. */
export function redeemer(ctx: TestContext, database: Database = ctx.database) {
  const service = ctx.runtime.modules.promotions.service
  const uow = createUnitOfWork(database.db, () => {})
  const run = <T>(fn: (tx: Tx) => Promise<T>) => uow.run((trx, emit) => fn({ trx, emit }))
  return {
    service,
    run,
    redeem: (input: Partial<RedeemInput> & { code: string; orderId: string }) =>
      run((tx) =>
        service.redeem(tx, {
          customerId: null,
          email: 'guest@example.test',
          currency: 'EUR',
          subtotal: 10_000,
          shipping: 0,
          ...input,
        }),
      ),
    release: (orderId: string) => run((tx) => service.releaseRedemption(tx, orderId)),
  }
}

/** On PostgreSQL, a second pool on the test's database, wide enough for real parallelism. */
export async function widePool(ctx: TestContext): Promise<Database> {
  if (engine !== 'postgres') return ctx.database
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(
    ctx.database.db,
  )
  const url = new URL(process.env.DATABASE_URL!)
  url.pathname = `/${rows[0]!.name}`
  return openDatabase({ engine: 'postgres', url: url.toString(), poolSize: 20 })
}

export async function timesUsed(ctx: TestContext, code: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select times_used as n from promotions.promotion where code = ${code}
  `.execute(ctx.database.db)
  return rows[0]!.n
}

export async function redemptionCount(ctx: TestContext, code: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from promotions.redemption where code = ${code}
  `.execute(ctx.database.db)
  return rows[0]!.n
}

export function errorCode(error: unknown): string | undefined {
  return (error as { code?: string }).code
}

export function errorReason(error: unknown): unknown {
  return (error as { extra?: { reason?: unknown } }).extra?.reason
}
