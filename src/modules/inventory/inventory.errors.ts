import { AppError, CommonErrors, isAppError, type FieldError } from '../../platform/errors.js'

export const InventoryErrors = {
  notFound: (variantId: string) =>
    new AppError({
      kind: 'not_found',
      code: 'stock_level_not_found',
      title: 'Stock level not found',
      detail: `No stock is tracked for variant ${variantId}.`,
    }),
  belowReserved: (onHand: number, reserved: number) =>
    new AppError({
      kind: 'conflict',
      code: 'on_hand_below_reserved',
      title: 'On-hand below reserved',
      detail: `On-hand stock ${onHand} would be below the ${reserved} units reserved for orders.`,
      errors: [{ path: '/body/onHand', message: `must be at least ${reserved}` }],
    }),
  outOfStock: (shortages: Shortage[]) =>
    new AppError({
      kind: 'conflict',
      code: 'out_of_stock',
      title: 'Out of stock',
      detail: `Not enough stock for ${shortages.length} of the requested variants.`,
      errors: shortages.map((s) => ({
        path: `/items/${s.index}`,
        message: `${s.requested} requested, ${s.available} available`,
      })),
      extra: {
        shortages: shortages.map((s) => ({
          variantId: s.variantId,
          requested: s.requested,
          available: s.available,
        })),
      },
    }),
  invalidItems: (errors: FieldError[]) => CommonErrors.validation(errors, 'Invalid reservation.'),
  reservationNotFound: (reference: string) =>
    new AppError({
      kind: 'not_found',
      code: 'reservation_not_found',
      title: 'Reservation not found',
      detail: `No stock is reserved for ${reference}.`,
    }),
  reservationMismatch: (reference: string) =>
    new AppError({
      kind: 'conflict',
      code: 'reservation_mismatch',
      title: 'Reservation mismatch',
      detail: `${reference} already holds a reservation with other lines.`,
    }),
  reservationReleased: (reference: string) =>
    new AppError({
      kind: 'conflict',
      code: 'reservation_released',
      title: 'Reservation released',
      detail: `The stock reserved for ${reference} was released (expired or cancelled).`,
    }),
  reservationNotCommitted: (reference: string) =>
    new AppError({
      kind: 'conflict',
      code: 'reservation_not_committed',
      title: 'Reservation not committed',
      detail: `The stock reserved for ${reference} was never sold: release it instead.`,
    }),
}

/** A line that could not be held: what was asked and what was available at that moment. */
export interface Shortage {
  index: number
  variantId: string
  requested: number
  available: number
}

/** The hold a reference took is gone (expired or cancelled): nothing is left to sell or keep. */
export const isReservationReleased = (err: unknown): boolean =>
  isAppError(err) && err.code === 'reservation_released'
