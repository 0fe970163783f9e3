import { AppError, type FieldError } from '../platform/errors.js'

export const CheckoutErrors = {
  paymentDeclined: (orderId: string, reason: string | null) =>
    new AppError({
      kind: 'payment_required',
      code: 'payment_declined',
      title: 'Payment declined',
      detail: 'The payment was declined; the cart is unchanged, try another payment method.',
      extra: { orderId, declineReason: reason },
    }),
  cartEmpty: () =>
    new AppError({
      kind: 'conflict',
      code: 'cart_empty',
      title: 'Cart is empty',
      detail: 'Add at least one item before checking out.',
    }),
  itemsUnavailable: (errors: FieldError[]) =>
    new AppError({
      kind: 'conflict',
      code: 'cart_item_unavailable',
      title: 'Items no longer for sale',
      detail: 'Some cart lines can no longer be bought; remove them and retry.',
      errors,
    }),
  couponChanged: () =>
    new AppError({
      kind: 'conflict',
      code: 'cart_changed',
      title: 'Cart changed',
      detail: "The coupon's discount changed since the cart was priced; read the cart and retry.",
    }),
}
