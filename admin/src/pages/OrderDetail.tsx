import { useQuery } from '@tanstack/react-query'
import { api, must, type Order } from '../api/client'
import { can } from '../auth/permissions'
import { useUser } from '../auth/useSession'
import {
  DeliveredButton,
  FulfilForm,
  NoteForm,
  RefundForm,
  refundable,
} from '../components/OrderActions'
import { Loading, Page, ProblemAlert, StatusBadge, formatDate, statusLabel } from '../components/ui'
import { formatMoney } from '../lib/money'
import { Link } from '../lib/router'
import { useOrderStream, type StreamState } from '../lib/useOrderStream'

const LIVE_LABEL: Record<StreamState, string> = {
  connecting: 'Connecting to live updates…',
  live: 'Live: changes appear as they happen',
  offline: 'Live updates unavailable; reload to see changes',
}

const EVENT_LABELS: Record<string, string> = {
  'order.created': 'Order placed',
  'order.paid': 'Payment received',
  'order.fulfilled': 'Fulfilled',
  'order.delivered': 'Delivered',
  'order.cancelled': 'Cancelled',
  'order.refunded': 'Refunded',
  'order.note_added': 'Note added',
}

export function OrderDetail({ id }: { id: string }) {
  const order = useQuery({
    queryKey: ['order', id],
    queryFn: () => must(api.GET('/v1/admin/orders/{id}', { params: { path: { id } } })),
  })
  const live = useOrderStream(id)
  if (order.isPending) return <Loading what="the order" />
  if (order.error) {
    return (
      <Page title="Order">
        <ProblemAlert error={order.error} />
      </Page>
    )
  }
  return <OrderView order={order.data} live={live} />
}

function OrderView({ order, live }: { order: Order; live: StreamState }) {
  const user = useUser()
  const manage = can(user, 'orders:manage')
  const canRefund =
    can(user, 'orders:refund') &&
    ['paid', 'fulfilled', 'delivered'].includes(order.status) &&
    refundable(order) > 0
  return (
    <Page title={`Order ${order.number}`} actions={<Link to="/orders">Back to orders</Link>}>
      <p className="order-status">
        Status: <StatusBadge status={order.status} />{' '}
        <span role="status" className={`live live-${live}`}>
          {LIVE_LABEL[live]}
        </span>
      </p>
      <div className="grid">
        <section aria-labelledby="lines">
          <h2 id="lines">Lines</h2>
          <div className="table-wrap" role="region" aria-label="Order lines" tabIndex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">SKU</th>
                  <th scope="col">Qty</th>
                  <th scope="col">Unit</th>
                  <th scope="col">Total</th>
                </tr>
              </thead>
              <tbody>
                {order.items.map((item) => (
                  <tr key={item.variantId}>
                    <td>
                      {item.productTitle ?? 'Removed product'}
                      {item.title && item.title !== item.productTitle ? ` · ${item.title}` : ''}
                    </td>
                    <td>{item.sku ?? '—'}</td>
                    <td>{item.quantity}</td>
                    <td>{formatMoney(item.unitPrice)}</td>
                    <td>{formatMoney(item.lineTotal)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <dl className="totals">
            <dt>Subtotal</dt>
            <dd>{formatMoney(order.totals.subtotal)}</dd>
            <dt>Discount{order.couponCode ? ` (${order.couponCode})` : ''}</dt>
            <dd>−{formatMoney(order.totals.discount)}</dd>
            <dt>Shipping{order.shippingMethod ? ` (${order.shippingMethod.name})` : ''}</dt>
            <dd>{formatMoney(order.totals.shipping)}</dd>
            <dt>Tax</dt>
            <dd>{formatMoney(order.totals.tax)}</dd>
            <dt>Total</dt>
            <dd>
              <strong>{formatMoney(order.totals.total)}</strong>
            </dd>
          </dl>
        </section>
        <section aria-labelledby="customer">
          <h2 id="customer">Customer and payment</h2>
          <p>{order.email}</p>
          <address>
            {order.shippingAddress.name}
            <br />
            {order.shippingAddress.line1}
            {order.shippingAddress.line2 && (
              <>
                <br />
                {order.shippingAddress.line2}
              </>
            )}
            <br />
            {order.shippingAddress.postalCode} {order.shippingAddress.city},{' '}
            {order.shippingAddress.country}
          </address>
          <dl className="totals">
            <dt>Payment</dt>
            <dd>
              {order.payment.method} · {statusLabel(order.payment.status)}
            </dd>
            <dt>Paid</dt>
            <dd>{formatMoney(order.payment.amount)}</dd>
            <dt>Refunded</dt>
            <dd>{formatMoney(order.payment.refunded)}</dd>
          </dl>
          {order.fulfillments.length > 0 && (
            <>
              <h3>Shipments</h3>
              <ul>
                {order.fulfillments.map((f) => (
                  <li key={f.id}>
                    {formatDate(f.at)}: {f.carrier ?? 'carrier not given'}
                    {f.trackingNumber ? `, tracking ${f.trackingNumber}` : ''}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      </div>
      {manage && order.status === 'paid' && <FulfilForm order={order} />}
      {manage && order.status === 'fulfilled' && <DeliveredButton order={order} />}
      {canRefund && <RefundForm order={order} key={order.payment.refunded.amount} />}
      <div className="grid">
        <section aria-labelledby="history">
          <h2 id="history">History</h2>
          <ol className="timeline">
            {order.history.map((h, i) => (
              <li key={i}>
                <strong>{EVENT_LABELS[h.type] ?? h.type}</strong>{' '}
                <time dateTime={h.at}>{formatDate(h.at)}</time>
              </li>
            ))}
          </ol>
        </section>
        <section aria-labelledby="notes">
          <h2 id="notes">Notes</h2>
          {(order.notes ?? []).length === 0 && <p className="muted">No notes yet.</p>}
          <ul className="notes">
            {order.notes?.map((n) => (
              <li key={n.id}>
                <p>{n.text}</p>
                <small className="muted">
                  {n.author ?? 'system'} · {formatDate(n.at)}
                </small>
              </li>
            ))}
          </ul>
          {manage && <NoteForm order={order} />}
        </section>
      </div>
    </Page>
  )
}
