import { useQuery } from '@tanstack/react-query'
import { api, must, type Order } from '../api/client'
import { can } from '../auth/permissions'
import { useUser } from '../auth/useSession'
import { Loading, Page, ProblemAlert, StatusBadge } from '../components/ui'
import { formatMoney, type Money } from '../lib/money'
import { Link } from '../lib/router'
import { stars } from './Reviews'

const COUNTED = new Set(['paid', 'fulfilled', 'delivered'])

function startOfToday(): string {
  const now = new Date()
  return new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString()
}

/** Revenue per currency of the orders that were paid (and not cancelled or refunded). */
export function revenueOf(orders: Order[]): Money[] {
  const sums = new Map<string, number>()
  for (const o of orders) {
    if (!COUNTED.has(o.status)) continue
    const net = o.totals.total.amount - o.payment.refunded.amount
    sums.set(o.totals.total.currency, (sums.get(o.totals.total.currency) ?? 0) + net)
  }
  return [...sums].map(([currency, amount]) => ({ currency, amount }))
}

export function Home() {
  const user = useUser()
  return (
    <Page title="Home">
      <div className="grid">
        {can(user, 'orders:read') && <TodaysOrders />}
        {can(user, 'catalog:read') && <LowStock />}
        {can(user, 'reviews:moderate') && <PendingReviews />}
        {can(user, 'webhooks:manage') && <FailingWebhooks />}
      </div>
    </Page>
  )
}

function TodaysOrders() {
  const today = useQuery({
    queryKey: ['orders', 'today'],
    queryFn: () =>
      must(
        api.GET('/v1/admin/orders', {
          params: { query: { createdFrom: startOfToday(), limit: 100 } },
        }),
      ),
    refetchInterval: 60_000,
  })
  const orders = today.data?.data ?? []
  const revenue = revenueOf(orders)
  return (
    <section className="card" aria-labelledby="today">
      <h2 id="today">Today</h2>
      <ProblemAlert error={today.error} />
      {today.isPending ? (
        <Loading what="today's orders" />
      ) : (
        <>
          <p className="stat">
            {orders.length}
            {today.data?.page.hasMore ? '+' : ''} orders
          </p>
          <p>
            Revenue:{' '}
            {revenue.length === 0
              ? formatMoney({ amount: 0, currency: 'EUR' })
              : revenue.map((m) => formatMoney(m)).join(' · ')}
          </p>
          <ul className="compact">
            {orders.slice(0, 5).map((o) => (
              <li key={o.id}>
                <Link to={`/orders/${o.id}`}>{o.number}</Link> <StatusBadge status={o.status} />{' '}
                {formatMoney(o.totals.total)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}

function LowStock() {
  const low = useQuery({
    queryKey: ['inventory', 'low-stock'],
    queryFn: () =>
      must(api.GET('/v1/admin/inventory/low-stock', { params: { query: { limit: 10 } } })),
    refetchInterval: 60_000,
  })
  const items = low.data?.data ?? []
  return (
    <section className="card" aria-labelledby="low-stock">
      <h2 id="low-stock">Low stock</h2>
      <p className="muted">
        Variants at or below their low-stock threshold, fewest available first.
      </p>
      <ProblemAlert error={low.error} />
      {low.isPending ? (
        <Loading what="stock" />
      ) : items.length === 0 ? (
        <p>Nothing is running low.</p>
      ) : (
        <ul className="compact">
          {items.map((item) => (
            <li key={item.variantId}>
              <Link to={`/products/${item.productId}`}>{item.productTitle}</Link> {item.sku}:{' '}
              {item.available} left
            </li>
          ))}
          {low.data?.page.hasMore && <li className="muted">and more</li>}
        </ul>
      )}
    </section>
  )
}

function PendingReviews() {
  const pending = useQuery({
    queryKey: ['reviews', 'home'],
    queryFn: () =>
      must(api.GET('/v1/admin/reviews', { params: { query: { status: 'pending', limit: 5 } } })),
    refetchInterval: 60_000,
  })
  const reviews = pending.data?.data ?? []
  return (
    <section className="card" aria-labelledby="pending-reviews">
      <h2 id="pending-reviews">Reviews to moderate</h2>
      <ProblemAlert error={pending.error} />
      {pending.isPending ? (
        <Loading what="reviews" />
      ) : reviews.length === 0 ? (
        <p>No review is waiting.</p>
      ) : (
        <>
          <p className="stat">
            {reviews.length}
            {pending.data?.page.hasMore ? '+' : ''} pending
          </p>
          <ul className="compact">
            {reviews.map((r) => (
              <li key={r.id}>
                {stars(r.rating)} {r.title ?? r.body.slice(0, 60)}
              </li>
            ))}
          </ul>
          <Link to="/reviews">Moderate reviews</Link>
        </>
      )}
    </section>
  )
}

function FailingWebhooks() {
  const failing = useQuery({
    queryKey: ['webhooks', 'failing'],
    queryFn: async () => {
      const endpoints = await must(
        api.GET('/v1/admin/webhook-endpoints', { params: { query: { limit: 100 } } }),
      )
      const withFailures = await Promise.all(
        endpoints.data.map(async (endpoint) => {
          const deliveries = await must(
            api.GET('/v1/admin/webhook-endpoints/{id}/deliveries', {
              params: { path: { id: endpoint.id }, query: { limit: 20 } },
            }),
          )
          return { endpoint, failed: deliveries.data.filter((d) => d.status === 'failed').length }
        }),
      )
      return withFailures.filter((e) => !e.endpoint.enabled || e.failed > 0)
    },
  })
  return (
    <section className="card" aria-labelledby="failing-webhooks">
      <h2 id="failing-webhooks">Failing webhooks</h2>
      <ProblemAlert error={failing.error} />
      {failing.isPending ? (
        <Loading what="webhooks" />
      ) : failing.data?.length === 0 ? (
        <p>Every endpoint is delivering.</p>
      ) : (
        <ul className="compact">
          {failing.data?.map(({ endpoint, failed }) => (
            <li key={endpoint.id}>
              <Link to="/webhooks">{endpoint.url}</Link>:{' '}
              {endpoint.enabled
                ? `${failed} failed of the last 20`
                : `disabled (${endpoint.disabledReason ?? 'by staff'})`}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
