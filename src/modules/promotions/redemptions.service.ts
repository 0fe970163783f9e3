import { narrow, type Tx } from '../../platform/db/unit-of-work.js'
import { newId } from '../../shared/ids.js'
import { couponError, PromotionErrors } from './promotions.errors.js'
import { PromotionEvents, redemptionEvent } from './promotions.events.js'
import * as repo from './promotions.repo.js'
import { customerKey, evaluatePromotion, normalizeCode } from './promotions.rules.js'
import type { PromotionsTables } from './promotions.tables.js'

export interface RedeemInput {
  code: string
  orderId: string
  customerId: string | null
  email: string
  currency: string
  subtotal: number
  shipping: number
}

export interface Redeemed {
  promotionId: string
  code: string
  discount: number
  freeShipping: boolean
}

/**
 * Counts one use of a code for an order. The promotion row is locked first (redemptions of one
 * promotion queue there, so the per-customer count cannot be raced), then the use is taken by a
 * conditional UPDATE that cannot pass the total limit. Idempotent per order id.
 */
export async function redeem(tx: Tx, input: RedeemInput): Promise<Redeemed> {
  const trx = narrow<PromotionsTables>(tx)
  const code = normalizeCode(input.code)
  const promotion = await repo.lockPromotionByCode(trx, code)
  if (!promotion) throw couponError(code, 'not_found', false)
  // Read under the lock: a concurrent redeem for the same order has committed or rolled back.
  const existing = await repo.findRedemptionByOrder(trx, input.orderId)
  if (existing) {
    if (existing.promotion_id !== promotion.id)
      throw PromotionErrors.redemptionMismatch(input.orderId)
    return {
      promotionId: existing.promotion_id,
      code: existing.code,
      discount: existing.discount,
      freeShipping: existing.free_shipping,
    }
  }
  const key = customerKey(input.customerId, input.email)!
  const usedByCustomer =
    promotion.perCustomerLimit === null
      ? 0
      : await repo.countCustomerRedemptions(trx, promotion.id, key)
  const evaluation = evaluatePromotion(promotion, {
    currency: input.currency,
    subtotal: input.subtotal,
    at: new Date(),
    usedByCustomer,
  })
  if (evaluation.unavailableReason) throw couponError(code, evaluation.unavailableReason, false)
  if (!(await repo.countUse(trx, promotion.id))) throw couponError(code, 'exhausted')
  await repo.insertRedemption(trx, {
    id: newId('redm'),
    promotion_id: promotion.id,
    code,
    order_id: input.orderId,
    customer_key: key,
    customer_id: input.customerId,
    email: input.email.trim().toLowerCase(),
    currency: input.currency,
    discount: evaluation.discount,
    free_shipping: evaluation.freeShipping,
  })
  const granted = {
    promotionId: promotion.id,
    code,
    discount: evaluation.discount,
    freeShipping: evaluation.freeShipping,
  }
  tx.emit(
    redemptionEvent(PromotionEvents.redeemed, {
      ...granted,
      orderId: input.orderId,
      currency: input.currency,
    }),
  )
  return granted
}

/** Gives an order's use back. Idempotent; a no-op when the order redeemed nothing. */
export async function releaseRedemption(tx: Tx, orderId: string): Promise<void> {
  const trx = narrow<PromotionsTables>(tx)
  const existing = await repo.findRedemptionByOrder(trx, orderId)
  if (!existing) return
  // Same lock order as redeem: the promotion row, then its redemptions.
  await repo.lockPromotion(trx, existing.promotion_id)
  const deleted = await repo.deleteRedemption(trx, orderId)
  if (!deleted) return // released concurrently
  await repo.giveUseBack(trx, deleted.promotion_id)
  tx.emit(
    redemptionEvent(PromotionEvents.redemptionReleased, {
      promotionId: deleted.promotion_id,
      code: deleted.code,
      orderId,
      currency: deleted.currency,
      discount: deleted.discount,
      freeShipping: deleted.free_shipping,
    }),
  )
}
