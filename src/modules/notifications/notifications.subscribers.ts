import type { DomainEvent, EventHandler } from '../../platform/events/types.js'
import type { Subscription } from '../../platform/module.js'
import {
  AccountEvents,
  AuthEvents,
  type AccountTokenPurpose,
  type AccountTokens,
  type StaffDirectory,
} from '../auth/index.js'
import { CART_ABANDONED, type AbandonedCartPayload, type CartReminders } from '../carts/index.js'
import {
  OrderEvents,
  type OrderEventPayload,
  type OrderState,
  type OrdersService,
} from '../orders/index.js'
import { ReviewEvents, type ReviewEventPayload } from '../reviews/index.js'
import { WebhookEvents, type EndpointDisabledPayload } from '../webhooks/index.js'
import {
  WishlistEvents,
  type AlertKind,
  type WishlistAlertPayload,
  type WishlistsService,
} from '../wishlists/index.js'
import type { NotificationsService } from './notifications.service.js'
import type { TemplateName, TemplateValues } from './notifications.templates.js'
import {
  accountValues,
  cartAbandonedValues,
  endpointDisabledValues,
  orderConfirmationValues,
  orderRefundValues,
  orderShippedValues,
  wishlistAlertValues,
  reviewPendingValues,
  type Link,
} from './notifications.values.js'

/** What the subscribers read through other modules' doors when an event arrives. */
export interface SubscriberDeps {
  notifications: NotificationsService
  orders: Pick<OrdersService, 'getState'>
  accountTokens: AccountTokens
  /** A signed-in customer's account email (auth owns it); undefined when the account is gone. */
  customerEmail(userId: string): Promise<string | undefined>
  staff: StaffDirectory
  /** Unsubscribe tokens and opt-outs of abandoned-cart reminders (carts owns them). */
  cartReminders: Pick<CartReminders, 'unsubscribeTokenFor'>
  /** Wishlist alert opt-ins and their unsubscribe tokens (wishlists owns them). */
  wishlists: Pick<WishlistsService, 'alertMailToken'>
  /** The API's public base URL: where a mail client POSTs a one-click unsubscribe. */
  apiUrl: string
}

type OrderMail = (order: OrderState, event: DomainEvent, link: Link) => TemplateValues | undefined

/**
 * One consumer per event. Each is at least once: the bus records the event id per consumer
 * name after the handler resolves, so a crash between the send and that record mails twice.
 * The consumer names are the ones the mails had when each module sent its own, so events
 * processed before the move are not mailed again (and JetStream keeps the same durables).
 */
export function notificationSubscriptions(deps: SubscriberDeps): Subscription[] {
  const { notifications } = deps
  const link = notifications.storefrontLink

  const orderMail =
    (template: TemplateName, values: OrderMail): EventHandler =>
    async (event) => {
      const { orderId } = event.payload as OrderEventPayload
      const order = await deps.orders.getState(orderId)
      const mail = order && values(order, event, link)
      if (order && mail) await notifications.send([order.email], template, mail)
    }
  const refund: OrderMail = (order, event) => {
    const change = (event.payload as OrderEventPayload).change
    const amount = Number(change.amount ?? change.refunded ?? 0)
    return amount > 0 ? orderRefundValues(order, amount, link) : undefined
  }

  /** The token is issued here, after the commit: the raw token never sits in the outbox. */
  const accountMail =
    (
      template: TemplateName,
      purpose: AccountTokenPurpose,
      page: 'verify-email' | 'reset-password',
    ): EventHandler =>
    async (event) => {
      const issued = await deps.accountTokens.issueAccountToken(event.aggregateId, purpose)
      if (!issued) return
      await notifications.send([issued.email], template, accountValues(issued, page, link))
    }

  /**
   * To the customer's account address, or to the guest's consented one; never to an address that
   * unsubscribed. Each reminder carries its unsubscribe token: in a link and in RFC 8058's
   * one-click headers, which a mail client POSTs to the API.
   */
  const cartReminder: EventHandler = async (event) => {
    const { cartId, email, customerId, items } = event.payload as AbandonedCartPayload
    const to = customerId ? await deps.customerEmail(customerId) : email
    const token = to ? await deps.cartReminders.unsubscribeTokenFor(to) : null
    if (!to || !token) return
    const oneClick = `${deps.apiUrl}/v1/unsubscribe?token=${encodeURIComponent(token)}`
    await notifications.send(
      [to],
      'cart-abandoned',
      cartAbandonedValues(cartId, items, token, link),
      {
        'List-Unsubscribe': `<${oneClick}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    )
  }

  /**
   * To the customer's account address, only while the customer still wants this kind of alert
   * (asked again here: an opt-out after the change was seen still counts), with a one-click
   * unsubscribe for that kind.
   */
  const wishlistAlert =
    (template: TemplateName, kind: AlertKind): EventHandler =>
    async (event) => {
      const alert = event.payload as unknown as WishlistAlertPayload
      const to = await deps.customerEmail(alert.customerId)
      const token = to ? await deps.wishlists.alertMailToken(alert.customerId, kind) : null
      if (!to || !token) return
      const oneClick = `${deps.apiUrl}/v1/wishlists/alerts/unsubscribe?token=${encodeURIComponent(token)}`
      await notifications.send([to], template, wishlistAlertValues(alert, token, link), {
        'List-Unsubscribe': `<${oneClick}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      })
    }
  /** Staff and admins hold `reviews:moderate`; an auto-published review needs no one. */
  const reviewPending: EventHandler = async (event) => {
    const review = event.payload as unknown as ReviewEventPayload
    if (review.status !== 'pending') return
    const moderators = await deps.staff.emailsOf(['staff', 'admin'])
    await notifications.send(moderators, 'review-pending', reviewPendingValues(review))
  }

  const endpointDisabled: EventHandler = async (event) => {
    const admins = await deps.staff.emailsOf(['admin'])
    const payload = event.payload as unknown as EndpointDisabledPayload
    await notifications.send(admins, 'webhook-endpoint-disabled', endpointDisabledValues(payload))
  }

  return [
    {
      type: OrderEvents.PAID,
      consumer: 'orders.confirmation-mail',
      handler: orderMail('order-confirmation', (o) => orderConfirmationValues(o, link)),
    },
    {
      type: OrderEvents.FULFILLED,
      consumer: 'orders.shipped-mail',
      handler: orderMail('order-shipped', (o) => orderShippedValues(o, link)),
    },
    {
      type: OrderEvents.REFUNDED,
      consumer: 'orders.refund-mail',
      handler: orderMail('order-refund', refund),
    },
    {
      type: OrderEvents.CANCELLED,
      consumer: 'orders.cancel-mail',
      handler: orderMail('order-refund', refund),
    },
    { type: CART_ABANDONED, consumer: 'carts.abandoned-mail', handler: cartReminder },
    {
      type: AuthEvents.CUSTOMER_CREATED,
      consumer: 'auth.welcome-mail',
      handler: accountMail('account-welcome', 'email_verification', 'verify-email'),
    },
    {
      type: AccountEvents.EMAIL_VERIFICATION_REQUESTED,
      consumer: 'auth.verification-mail',
      handler: accountMail('account-verification', 'email_verification', 'verify-email'),
    },
    {
      type: AccountEvents.PASSWORD_RESET_REQUESTED,
      consumer: 'auth.password-reset-mail',
      handler: accountMail('password-reset', 'password_reset', 'reset-password'),
    },
    {
      type: WishlistEvents.backInStock,
      consumer: 'wishlists.back-in-stock-mail',
      handler: wishlistAlert('wishlist-back-in-stock', 'back_in_stock'),
    },
    {
      type: WishlistEvents.priceDropped,
      consumer: 'wishlists.price-drop-mail',
      handler: wishlistAlert('wishlist-price-drop', 'price_drop'),
    },
    {
      type: WebhookEvents.endpointDisabled,
      consumer: 'webhooks.disabled-mail',
      handler: endpointDisabled,
    },
    { type: ReviewEvents.created, consumer: 'reviews.moderation-mail', handler: reviewPending },
  ]
}
