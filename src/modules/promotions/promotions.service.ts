import type { Kysely } from 'kysely'
import type { Tx } from '../../platform/db/unit-of-work.js'
import { isForeignKeyViolation, uniqueViolation } from '../../platform/db/errors.js'
import { CommonErrors, type FieldError } from '../../platform/errors.js'
import { newId } from '../../shared/ids.js'
import { cursorId, toPage, type Page } from '../../platform/pagination.js'
import { PromotionErrors } from './promotions.errors.js'
import * as repo from './promotions.repo.js'
import {
  customerKey,
  evaluatePromotion,
  normalizeCode,
  notFound,
  type Evaluation,
  type Promotion,
} from './promotions.rules.js'
import type {
  CreatePromotionInput,
  PromotionPageQueryDto,
  UpdatePromotionInput,
} from './promotions.schema.js'
import type { AmountsByCurrency, PromotionKind, PromotionsTables } from './promotions.tables.js'
import {
  redeem,
  releaseRedemption,
  type RedeemInput,
  type Redeemed,
} from './redemptions.service.js'

export interface EvaluateInput {
  code: string
  currency: string
  subtotal: number
  shipping: number
  customerId: string | null
  email: string | null
  at?: Date
}

/** Staff management of promotions, their evaluation for carts and their redemption at checkout. */
export interface PromotionsService {
  /** A duplicate code (case-insensitive) is 409 `promotion_code_taken`. */
  create(input: CreatePromotionInput): Promise<Promotion>
  /** Newest first. */
  list(query: PromotionPageQueryDto): Promise<Page<Promotion>>
  get(id: string): Promise<Promotion>
  /** Everything but the code; `expectedVersion` (If-Match) → 412 when stale. */
  update(id: string, patch: UpdatePromotionInput, expectedVersion?: number): Promise<Promotion>
  /** Deletes a promotion never redeemed; a redeemed one is 409 `promotion_in_use` (deactivate it). */
  remove(id: string): Promise<void>
  /** Evaluates a code for a cart: what the cart totals use. Never throws for an inapplicable code; says why. */
  evaluate(input: EvaluateInput): Promise<Evaluation>
  /**
   * Inside the checkout transaction: re-checks the code and counts one use, atomically, so the
   * total and per-customer limits hold under concurrent checkouts. Throws 409 `coupon_exhausted`
   * (total or per-customer limit) or 409 `coupon_not_applicable` (with `reason`, also for a code
   * that no longer exists). Idempotent per orderId. Returns the discount it granted, computed
   * like the cart's (`discountFor`).
   */
  redeem(tx: Tx, input: RedeemInput): Promise<Redeemed>
  /** Gives a redemption back (order cancelled or payment declined before it was paid). Idempotent; no-op when none. */
  releaseRedemption(tx: Tx, orderId: string): Promise<void>
}

/** A promotion's editable fields, as stored. */
interface Draft {
  kind: PromotionKind
  description: string | null
  percentOffBps: number | null
  amountOff: AmountsByCurrency | null
  minimumSubtotal: AmountsByCurrency | null
  startsAt: Date | null
  endsAt: Date | null
  usageLimit: number | null
  perCustomerLimit: number | null
  active: boolean
}

type MoneyList = { amount: number; currency: string }[]

function byCurrency(list: MoneyList | null | undefined, path: string, errors: FieldError[]) {
  if (!list) return null
  const out: AmountsByCurrency = {}
  list.forEach(({ amount, currency }, i) => {
    if (out[currency] !== undefined)
      errors.push({ path: `${path}/${i}/currency`, message: 'appears twice' })
    out[currency] = amount
  })
  return out
}

const date = (value: string | null | undefined) => (value ? new Date(value) : null)

function checkDraft(d: Draft, errors: FieldError[]): void {
  const needs = (field: 'percentOffBps' | 'amountOff', kind: PromotionKind) => {
    const present = d[field] !== null
    if (d.kind === kind && !present)
      errors.push({ path: `/body/${field}`, message: `is required for ${kind}` })
    if (d.kind !== kind && present)
      errors.push({ path: `/body/${field}`, message: `is only for ${kind}` })
  }
  needs('percentOffBps', 'percentage')
  needs('amountOff', 'fixed_amount')
  if (d.amountOff && Object.values(d.amountOff).some((a) => a <= 0))
    errors.push({ path: '/body/amountOff', message: 'amounts must be positive' })
  if (d.startsAt && d.endsAt && d.endsAt <= d.startsAt)
    errors.push({ path: '/body/endsAt', message: 'must be after startsAt' })
}

function toValues(d: Draft): repo.PromotionValues {
  return {
    kind: d.kind,
    description: d.description,
    percent_off_bps: d.percentOffBps,
    amount_off: d.amountOff && JSON.stringify(d.amountOff),
    minimum_subtotal: d.minimumSubtotal && JSON.stringify(d.minimumSubtotal),
    starts_at: d.startsAt,
    ends_at: d.endsAt,
    usage_limit: d.usageLimit,
    per_customer_limit: d.perCustomerLimit,
    active: d.active,
  }
}

function draftFromCreate(input: CreatePromotionInput, errors: FieldError[]): Draft {
  return {
    kind: input.kind,
    description: input.description ?? null,
    percentOffBps: input.percentOffBps ?? null,
    amountOff: byCurrency(input.amountOff, '/body/amountOff', errors),
    minimumSubtotal: byCurrency(input.minimumSubtotal, '/body/minimumSubtotal', errors),
    startsAt: date(input.startsAt),
    endsAt: date(input.endsAt),
    usageLimit: input.usageLimit ?? null,
    perCustomerLimit: input.perCustomerLimit ?? null,
    active: input.active ?? true,
  }
}

/** The current fields with the patch applied; a kind change clears the other kind's value. */
function draftFromPatch(p: Promotion, patch: UpdatePromotionInput, errors: FieldError[]): Draft {
  const kind = patch.kind ?? p.kind
  const keep = <T>(value: T | null | undefined, current: T | null, forKind?: PromotionKind) =>
    value !== undefined ? value : forKind && kind !== forKind ? null : current
  return {
    kind,
    description: keep(patch.description, p.description),
    percentOffBps: keep(patch.percentOffBps, p.percentOffBps, 'percentage'),
    amountOff:
      patch.amountOff === undefined
        ? keep(undefined, p.amountOff, 'fixed_amount')
        : byCurrency(patch.amountOff, '/body/amountOff', errors),
    minimumSubtotal:
      patch.minimumSubtotal === undefined
        ? p.minimumSubtotal
        : byCurrency(patch.minimumSubtotal, '/body/minimumSubtotal', errors),
    startsAt: patch.startsAt === undefined ? p.startsAt : date(patch.startsAt),
    endsAt: patch.endsAt === undefined ? p.endsAt : date(patch.endsAt),
    usageLimit: keep(patch.usageLimit, p.usageLimit),
    perCustomerLimit: keep(patch.perCustomerLimit, p.perCustomerLimit),
    active: patch.active ?? p.active,
  }
}

function valid(build: (errors: FieldError[]) => Draft): Draft {
  const errors: FieldError[] = []
  const draft = build(errors)
  checkDraft(draft, errors)
  if (errors.length > 0) throw PromotionErrors.invalid(errors)
  return draft
}

export function createPromotionsService(deps: { db: Kysely<PromotionsTables> }): PromotionsService {
  const { db } = deps

  async function load(id: string): Promise<Promotion> {
    const promotion = await repo.findPromotion(db, id)
    if (!promotion) throw PromotionErrors.notFound(id)
    return promotion
  }

  return {
    async create(input) {
      const code = normalizeCode(input.code)
      const draft = valid((errors) => draftFromCreate(input, errors))
      try {
        return await repo.insertPromotion(db, { id: newId('promo'), code, ...toValues(draft) })
      } catch (error) {
        if (uniqueViolation(error) === 'promotion_code_uq') throw PromotionErrors.codeTaken(code)
        throw error
      }
    },

    async list(query) {
      const limit = query.limit ?? 20
      const rows = await repo.listPromotions(db, cursorId(query.cursor), limit + 1)
      return toPage(
        rows,
        limit,
        (p) => p,
        (p) => [p.id],
      )
    },

    get: load,

    async update(id, patch, expectedVersion) {
      const current = await load(id)
      if (expectedVersion !== undefined && expectedVersion !== current.version)
        throw CommonErrors.staleVersion()
      const draft = valid((errors) => draftFromPatch(current, patch, errors))
      const updated = await repo.updatePromotion(db, id, toValues(draft), current.version)
      if (!updated) throw CommonErrors.staleVersion()
      return updated
    },

    async remove(id) {
      await load(id)
      if (await repo.hasRedemptions(db, id)) throw PromotionErrors.inUse(id)
      try {
        await repo.deletePromotion(db, id)
      } catch (error) {
        if (isForeignKeyViolation(error)) throw PromotionErrors.inUse(id)
        throw error
      }
    },

    async evaluate(input) {
      const code = normalizeCode(input.code)
      const promotion = await repo.findPromotionByCode(db, code)
      if (!promotion) return notFound(code)
      const key = customerKey(input.customerId, input.email)
      const usedByCustomer =
        promotion.perCustomerLimit !== null && key
          ? await repo.countCustomerRedemptions(db, promotion.id, key)
          : 0
      return evaluatePromotion(promotion, {
        currency: input.currency,
        subtotal: input.subtotal,
        at: input.at ?? new Date(),
        usedByCustomer,
      })
    },

    redeem,
    releaseRedemption,
  }
}
