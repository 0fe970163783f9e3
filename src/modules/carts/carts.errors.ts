import { AppError } from '../../platform/errors.js'

/** The carts module's coded errors; codes are part of the public API. */
export const CartErrors = {
  /** Also the answer for another customer's cart or a guest cart without its token. */
  notFound: (cartId: string) =>
    new AppError({
      kind: 'not_found',
      code: 'cart_not_found',
      title: 'Cart not found',
      detail: `No cart ${cartId} for this caller.`,
    }),
  itemNotFound: (itemId: string) =>
    new AppError({
      kind: 'not_found',
      code: 'cart_item_not_found',
      title: 'Cart item not found',
      detail: `No item ${itemId} in this cart.`,
    }),
  notOpen: (cartId: string) =>
    new AppError({
      kind: 'conflict',
      code: 'cart_not_open',
      title: 'Cart is closed',
      detail: `Cart ${cartId} was merged into another cart or ordered, and can no longer change.`,
    }),
  noShippingMethod: (country: string) =>
    new AppError({
      kind: 'conflict',
      code: 'shipping_method_unavailable',
      title: 'No shipping method',
      detail: `No shipping method delivers to ${country} in this cart's currency.`,
    }),
  changed: (cartId: string) =>
    new AppError({
      kind: 'conflict',
      code: 'cart_changed',
      title: 'Cart changed',
      detail: `Cart ${cartId} changed during checkout; read it again and retry.`,
    }),
  currencyUnsupported: (currency: string, supported: readonly string[]) =>
    new AppError({
      kind: 'validation',
      code: 'currency_unsupported',
      title: 'Currency not supported',
      detail: `Carts can use ${supported.join(', ')}; not ${currency}.`,
      errors: [{ path: '/body/currency', message: 'is not a supported currency' }],
    }),
  variantUnavailable: (variantId: string) =>
    new AppError({
      kind: 'conflict',
      code: 'variant_unavailable',
      title: 'Variant unavailable',
      detail: `Variant ${variantId} does not exist or is not for sale.`,
    }),
  priceUnavailable: (variantId: string, currency: string) =>
    new AppError({
      kind: 'conflict',
      code: 'price_unavailable',
      title: 'No price in this currency',
      detail: `Variant ${variantId} has no price in ${currency}.`,
    }),
  quantityTooLarge: (max: number) =>
    new AppError({
      kind: 'validation',
      code: 'quantity_too_large',
      title: 'Quantity too large',
      detail: `A cart line holds at most ${max} units.`,
      errors: [{ path: '/body/quantity', message: `must be at most ${max} in total` }],
    }),
  cartFull: (max: number) =>
    new AppError({
      kind: 'conflict',
      code: 'cart_full',
      title: 'Cart is full',
      detail: `A cart holds at most ${max} lines.`,
    }),
  /** A cart sum would pass `MAX_CART_AMOUNT`: the change is refused, never a rounded total. */
  totalTooLarge: (max: number) =>
    new AppError({
      kind: 'conflict',
      code: 'cart_total_too_large',
      title: 'Cart total too large',
      detail: `A cart's subtotal, discount, shipping, tax and total stay at most ${max} minor units.`,
    }),
  countryUnsupported: (country: string) =>
    new AppError({
      kind: 'validation',
      code: 'country_unsupported',
      title: 'Country not supported',
      detail: `The store does not ship to ${country}.`,
      errors: [{ path: '/body/shippingAddress/country', message: 'is not a shipping country' }],
    }),
  shippingMethodUnavailable: (methodId: string) =>
    new AppError({
      kind: 'conflict',
      code: 'shipping_method_unavailable',
      title: 'Shipping method unavailable',
      detail: `Shipping method "${methodId}" is not available for this cart's country and currency.`,
    }),
}
