import { AppError, CommonErrors, type FieldError } from '../../platform/errors.js'
import type { CouponUnavailableReason } from './promotions.rules.js'

const REASON_TEXT: Record<CouponUnavailableReason, string> = {
  not_found: 'does not exist',
  inactive: 'is not active',
  not_started: 'is not valid yet',
  expired: 'has expired',
  currency_unsupported: "does not apply in this cart's currency",
  minimum_not_met: "needs a higher subtotal in this cart's currency",
  exhausted: 'has been used up',
  customer_limit_reached: 'has been used as often as one customer may',
}

/** The promotions module's coded errors; codes are part of the public API. */
export const PromotionErrors = {
  notFound: (id: string) =>
    new AppError({
      kind: 'not_found',
      code: 'promotion_not_found',
      title: 'Promotion not found',
      detail: `No promotion ${id}.`,
    }),
  codeTaken: (code: string) =>
    new AppError({
      kind: 'conflict',
      code: 'promotion_code_taken',
      title: 'Promotion code taken',
      detail: `Another promotion already uses the code ${code}.`,
      errors: [{ path: '/body/code', message: 'is already used' }],
    }),
  inUse: (id: string) =>
    new AppError({
      kind: 'conflict',
      code: 'promotion_in_use',
      title: 'Promotion in use',
      detail: `Promotion ${id} has been redeemed: deactivate it (active: false) instead.`,
    }),
  invalid: (errors: FieldError[]) => CommonErrors.validation(errors, 'Invalid promotion.'),
  couponNotFound: (code: string) =>
    new AppError({
      kind: 'not_found',
      code: 'coupon_not_found',
      title: 'Coupon not found',
      detail: `The code ${code} ${REASON_TEXT.not_found}.`,
      extra: { reason: 'not_found' },
    }),
  /** A total or per-customer limit is used up. */
  couponExhausted: (code: string, reason: 'exhausted' | 'customer_limit_reached') =>
    new AppError({
      kind: 'conflict',
      code: 'coupon_exhausted',
      title: 'Coupon used up',
      detail: `The code ${code} ${REASON_TEXT[reason]}.`,
      extra: { reason },
    }),
  couponNotApplicable: (code: string, reason: CouponUnavailableReason) =>
    new AppError({
      kind: 'conflict',
      code: 'coupon_not_applicable',
      title: 'Coupon not applicable',
      detail: `The code ${code} ${REASON_TEXT[reason]}.`,
      extra: { reason },
    }),
  redemptionMismatch: (orderId: string) =>
    new AppError({
      kind: 'conflict',
      code: 'redemption_mismatch',
      title: 'Redemption mismatch',
      detail: `Order ${orderId} already redeemed another code.`,
    }),
}

/**
 * The error for applying a code that does not apply: 404 `coupon_not_found`, 409
 * `coupon_exhausted` (total or per-customer limit), else 409 `coupon_not_applicable`; each with
 * `reason`. At checkout (`redeem`) an unknown code is `coupon_not_applicable` too, since the code
 * was valid when it was applied to the cart.
 */
export function couponError(
  code: string,
  reason: CouponUnavailableReason,
  unknownIsNotFound = true,
): AppError {
  if (reason === 'not_found' && unknownIsNotFound) return PromotionErrors.couponNotFound(code)
  if (reason === 'exhausted' || reason === 'customer_limit_reached')
    return PromotionErrors.couponExhausted(code, reason)
  return PromotionErrors.couponNotApplicable(code, reason)
}
