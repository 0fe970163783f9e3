import type { Cart, CartItem, ShippingMethod } from '../carts/index.js'
import type { Order } from '../orders/index.js'
import type { CheckoutSessionRow } from './acp.repo.js'
import { ACP_VERSION } from './acp.spec.js'

type Json = Record<string, unknown>

export interface AcpTotal {
  type: string
  display_text: string
  amount: number
}

/** What the session answers with besides the cart: how it pays and where its order is read. */
export interface SessionContext {
  /** The payment handler advertised in `capabilities.payment.handlers` (the configured PSP). */
  psp: string
  /** `<base>/orders/<id>`: where the buyer reads the order (the storefront's account pages). */
  orderUrl: (orderId: string) => string
}

export type AcpMessage = Json & { type: 'info' | 'warning' | 'error'; content: string }

/** The one payment handler: a tokenized card, the token being one of the configured provider. */
export function paymentHandler(psp: string) {
  return {
    id: 'card',
    name: 'dev.acp.tokenized.card',
    display_name: 'Card',
    version: '2026-01-22',
    spec: 'https://acp.dev/handlers/tokenized.card',
    requires_delegate_payment: false,
    requires_pci_compliance: false,
    psp,
    config_schema: 'https://acp.dev/schemas/handlers/tokenized.card/config.json',
    instrument_schemas: ['https://acp.dev/schemas/handlers/tokenized.card/instrument.json'],
    config: { psp },
  }
}

const total = (type: string, display_text: string, amount: number): AcpTotal => ({
  type,
  display_text,
  amount,
})

function lineItem(item: CartItem): Json {
  const unit = item.unitPrice?.amount ?? 0
  const base = item.lineTotal.amount
  const discount = item.lineDiscount.amount
  // A cart holds one line per variant: the line is named by its variant, as the agent named it.
  return {
    id: item.variantId,
    item: { id: item.variantId },
    quantity: item.quantity,
    name: item.productTitle ?? item.title ?? item.variantId,
    ...(item.title && item.productTitle ? { description: item.title } : {}),
    unit_amount: unit,
    ...(item.productId ? { product_id: item.productId } : {}),
    ...(item.sku ? { sku: item.sku } : {}),
    variant_id: item.variantId,
    availability_status: item.inStock ? 'in_stock' : 'out_of_stock',
    totals: [
      total('items_base_amount', 'Base amount', base),
      total('discount', 'Discount', discount),
      total('subtotal', 'Subtotal', base - discount),
      total('total', 'Total', base - discount),
    ],
  }
}

/** The cart's totals, in the spec's vocabulary: every figure is the cart's own. */
export function cartTotals(cart: Cart): AcpTotal[] {
  const { subtotal, discount, shipping, tax } = cart.totals
  const included = cart.taxInfo.pricesIncludeTax
  return [
    total('items_base_amount', 'Items', subtotal.amount),
    ...(discount.amount > 0 ? [total('discount', 'Discount', discount.amount)] : []),
    total('subtotal', 'Subtotal', subtotal.amount - discount.amount),
    ...(cart.shippingMethodId ? [total('fulfillment', 'Shipping', shipping.amount)] : []),
    total('tax', included ? 'Tax (included)' : 'Tax', tax.amount),
    total('total', 'Total', cart.totals.total.amount),
  ]
}

/** Messages the cart itself raises: a line out of stock or no longer for sale. */
export function cartMessages(cart: Cart): AcpMessage[] {
  return cart.items.flatMap((item, i): AcpMessage[] => {
    const param = `$.line_items[${i}]`
    const name = item.productTitle ?? item.variantId
    if (!item.available)
      return [error('invalid', param, `${name} is no longer for sale; remove it.`)]
    if (!item.inStock)
      return [error('out_of_stock', param, `${name} is out of stock; remove it or pick another.`)]
    return []
  })
}

export function error(code: string, param: string, content: string): AcpMessage {
  return { type: 'error', code, param, content_type: 'plain', content }
}

function shippingOption(method: ShippingMethod): Json {
  return {
    type: 'shipping',
    id: method.id,
    title: method.name,
    totals: [total('total', method.name, method.price.amount)],
  }
}

export interface SessionView {
  row: CheckoutSessionRow
  cart: Cart
  methods: ShippingMethod[]
  messages: AcpMessage[]
  order: Order | null
}

/** Whether the agent may complete: lines to buy, an address served, a method, no error to fix. */
export function sessionStatus(view: SessionView): string {
  if (view.row.status === 'completed') return 'completed'
  if (view.row.status === 'canceled') return 'canceled'
  const ready =
    view.cart.items.length > 0 &&
    view.cart.shippingAddress !== null &&
    view.cart.shippingMethodId !== null &&
    // A declined payment stays ready: the agent may try another card right away.
    !view.messages.some((m) => m.type === 'error' && m.code !== 'payment_declined')
  return ready ? 'ready_for_payment' : 'not_ready_for_payment'
}

/** The session as the spec's `CheckoutSession` (with `order` once completed). */
export function toCheckoutSession(view: SessionView, context: SessionContext): Json {
  const { row, cart } = view
  return {
    id: row.id,
    protocol: { version: ACP_VERSION },
    capabilities: { payment: { handlers: [paymentHandler(context.psp)] } },
    ...(row.buyer ? { buyer: row.buyer } : {}),
    status: sessionStatus(view),
    currency: cart.currency.toLowerCase(),
    line_items: cart.items.map((item) => lineItem(item)),
    ...(row.fulfillment_details ? { fulfillment_details: row.fulfillment_details } : {}),
    fulfillment_options: view.methods.map(shippingOption),
    selected_fulfillment_options: cart.shippingMethodId
      ? [
          {
            type: 'shipping',
            option_id: cart.shippingMethodId,
            item_ids: cart.items.map((i) => i.variantId),
          },
        ]
      : [],
    totals: cartTotals(cart),
    messages: view.messages,
    links: [],
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    ...(view.order ? { order: toAcpOrder(view.order, row.id, context.orderUrl) } : {}),
  }
}

const ORDER_STATUS: Record<string, string> = {
  pending_payment: 'created',
  paid: 'confirmed',
  fulfilled: 'shipped',
  delivered: 'completed',
  cancelled: 'canceled',
  refunded: 'canceled',
}

/** An order as the spec's `Order` (the complete reply and the webhook events carry it). */
export function toAcpOrder(order: Order, sessionId: string, orderUrl: (id: string) => string) {
  const delivered = order.fulfillments.length > 0
  const { subtotal, discount, shipping, tax } = order.totals
  return {
    type: 'order',
    id: order.id,
    checkout_session_id: sessionId,
    order_number: order.number,
    permalink_url: orderUrl(order.id),
    status: ORDER_STATUS[order.status] ?? order.status,
    line_items: order.items.map((item) => ({
      id: item.variantId,
      title: item.productTitle ?? item.title ?? item.variantId,
      ...(item.productId ? { product_id: item.productId } : {}),
      quantity: {
        ordered: item.quantity,
        current: order.status === 'cancelled' ? 0 : item.quantity,
        fulfilled: delivered ? item.quantity : 0,
      },
      unit_price: item.unitPrice.amount,
      subtotal: item.lineTotal.amount,
    })),
    fulfillments: order.fulfillments.map((f) => ({
      id: f.id,
      type: 'shipping',
      status: order.status === 'delivered' ? 'delivered' : 'shipped',
      line_items: order.items.map((i) => ({ id: i.variantId, quantity: i.quantity })),
      ...(f.carrier ? { carrier: f.carrier } : {}),
      ...(f.trackingNumber ? { tracking_number: f.trackingNumber } : {}),
    })),
    adjustments:
      order.payment.refunded.amount > 0
        ? [
            {
              id: `${order.id}-refund`,
              type: 'refund',
              occurred_at: order.updatedAt,
              status: 'completed',
              amount: order.payment.refunded.amount,
              currency: order.currency.toLowerCase(),
            },
          ]
        : [],
    totals: [
      total('items_base_amount', 'Items', subtotal.amount),
      ...(discount.amount > 0 ? [total('discount', 'Discount', discount.amount)] : []),
      total('subtotal', 'Subtotal', subtotal.amount - discount.amount),
      total('fulfillment', 'Shipping', shipping.amount),
      total('tax', 'Tax', tax.amount),
      total('total', 'Total', order.totals.total.amount),
      ...(order.payment.refunded.amount > 0
        ? [total('amount_refunded', 'Refunded', order.payment.refunded.amount)]
        : []),
    ],
  }
}
