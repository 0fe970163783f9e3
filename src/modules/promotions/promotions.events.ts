import type { NewEvent } from '../../platform/events/types.js'

export const PromotionEvents = {
  redeemed: 'promotion.redeemed',
  redemptionReleased: 'promotion.redemption_released',
} as const

/** Payload of `promotion.redeemed` and `promotion.redemption_released`. */
export interface RedemptionPayload {
  promotionId: string
  code: string
  orderId: string
  currency: string
  discount: number
  freeShipping: boolean
}

export function redemptionEvent(
  type: (typeof PromotionEvents)[keyof typeof PromotionEvents],
  payload: RedemptionPayload,
): NewEvent {
  return {
    type,
    aggregateType: 'promotion',
    aggregateId: payload.promotionId,
    payload: { ...payload },
  }
}
