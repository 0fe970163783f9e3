import type { TemplateName, TemplateValues } from './notifications.templates.js'
import {
  accountValues,
  cartAbandonedValues,
  endpointDisabledValues,
  lowStockDigestValues,
  wishlistAlertValues,
  reviewPendingValues,
  type Link,
} from './notifications.values.js'

const link: Link = (pathAndQuery) => `https://shop.example${pathAndQuery}`
const token = 'sAmPlEtOkEn_0123456789abcdefghijklmnopqrstu'
const customer = { name: "Ada O'Hara & <Sons>", token }
const wishlistAlert = {
  wishlistId: 'wl_sample',
  itemId: 'wli_sample',
  customerId: 'usr_sample',
  productId: 'prod_sample',
  variantId: 'var_sample',
  productTitle: 'Linen Apron <Deluxe>',
  productSlug: 'linen-apron',
  variantTitle: 'S',
  price: { amount: 1499, currency: 'EUR' },
  previousPrice: { amount: 1999, currency: 'EUR' },
}

/** What `npm run mail:preview` fills each template with: one sample per template. */
export const SAMPLE_VALUES: Record<TemplateName, TemplateValues> = {
  'order-confirmation': {
    name: customer.name,
    number: 'EMP-1042',
    lines: [
      { quantity: 2, label: 'Linen Apron - S', unitPrice: '19.99 EUR', lineTotal: '39.98 EUR' },
      { quantity: 1, label: 'Oak Board', unitPrice: '45.00 EUR', lineTotal: '45.00 EUR' },
    ],
    subtotal: '84.98 EUR',
    discount: '0.00 EUR',
    shipping: '4.90 EUR',
    tax: '16.13 EUR',
    total: '89.88 EUR',
    orderUrl: link('/orders/ord_sample'),
    city: 'Lyon',
    country: 'FR',
  },
  'order-shipped': {
    name: customer.name,
    number: 'EMP-1042',
    trackingNumber: '1Z999AA10123456784',
    carrier: 'UPS',
    orderUrl: link('/orders/ord_sample'),
  },
  'order-refund': {
    name: customer.name,
    number: 'EMP-1042',
    amount: '45.00 EUR',
    cancelled: false,
    orderUrl: link('/orders/ord_sample'),
  },
  'cart-abandoned': cartAbandonedValues('cart_sample', 3, token, link),
  'account-welcome': accountValues(customer, 'verify-email', link),
  'account-verification': accountValues(customer, 'verify-email', link),
  'password-reset': accountValues(customer, 'reset-password', link),
  'review-pending': reviewPendingValues({
    reviewId: 'rev_sample',
    productId: 'prod_sample',
    customerId: 'usr_sample',
    rating: 4,
    title: 'Sturdy <b>and</b> "handsome"',
    body: 'Arrived quickly.\nThe oak is lovely & the finish is even.',
    status: 'pending',
    verifiedPurchase: true,
  }),
  'webhook-endpoint-disabled': endpointDisabledValues({
    endpointId: 'whe_sample',
    url: 'https://hooks.example/orders?source=emporium&v=2',
    consecutiveFailures: 5,
  }),
  'low-stock-digest': lowStockDigestValues(
    [
      { sku: 'APRON-S', productTitle: 'Linen Apron', title: 'S', available: 1, threshold: 5 },
      { sku: 'BOARD', productTitle: 'Oak Board', title: '', available: 4, threshold: 5 },
    ],
    false,
  ),
  'wishlist-back-in-stock': wishlistAlertValues(wishlistAlert, token, link),
  'wishlist-price-drop': wishlistAlertValues(wishlistAlert, token, link),
}
