import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api, must } from '../api/client'
import {
  LoadMore,
  Loading,
  Page,
  ProblemAlert,
  SelectField,
  StatusBadge,
  TextField,
  formatDate,
} from '../components/ui'
import { formatMoney } from '../lib/money'
import { Link } from '../lib/router'

const STATUSES = [
  'pending_payment',
  'paid',
  'fulfilled',
  'delivered',
  'cancelled',
  'refunded',
] as const
type Status = (typeof STATUSES)[number]

/** A date field's "2026-12-06" as the start (or the end) of that day in UTC. */
function dayBound(date: string, end: boolean): string | undefined {
  if (!date) return undefined
  return `${date}T${end ? '23:59:59.999' : '00:00:00.000'}Z`
}

export function Orders() {
  const [q, setQ] = useState('')
  const [status, setStatus] = useState<Status | ''>('')
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const createdFrom = dayBound(from, false)
  const createdTo = dayBound(to, true)
  const list = useInfiniteQuery({
    queryKey: ['orders', { q, status, from, to }],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      must(
        api.GET('/v1/admin/orders', {
          params: {
            query: {
              limit: 25,
              ...(q.trim() ? { q: q.trim() } : {}),
              ...(status ? { status } : {}),
              ...(createdFrom ? { createdFrom } : {}),
              ...(createdTo ? { createdTo } : {}),
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  })
  const orders = list.data?.pages.flatMap((p) => p.data) ?? []

  return (
    <Page title="Orders">
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <TextField
          label="Search orders"
          type="search"
          value={q}
          placeholder="Order number or email"
          onChange={(e) => setQ(e.target.value)}
        />
        <SelectField
          label="Status"
          value={status}
          onChange={(e) => setStatus(e.target.value as Status | '')}
          options={[
            { value: '', label: 'All' },
            ...STATUSES.map((s) => ({ value: s, label: s.replace('_', ' ') })),
          ]}
        />
        <TextField
          label="From"
          type="date"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
        />
        <TextField label="To" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      </form>
      <ProblemAlert error={list.error} />
      {list.isPending ? (
        <Loading what="orders" />
      ) : orders.length === 0 ? (
        <p>No orders match.</p>
      ) : (
        <div className="table-wrap" role="region" aria-label="Orders" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Number</th>
                <th scope="col">Status</th>
                <th scope="col">Email</th>
                <th scope="col">Total</th>
                <th scope="col">Placed</th>
              </tr>
            </thead>
            <tbody>
              {orders.map((o) => (
                <tr key={o.id}>
                  <td>
                    <Link to={`/orders/${o.id}`}>{o.number}</Link>
                  </td>
                  <td>
                    <StatusBadge status={o.status} />
                  </td>
                  <td>{o.email}</td>
                  <td>{formatMoney(o.totals.total)}</td>
                  <td>{formatDate(o.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore
        hasMore={list.hasNextPage}
        loading={list.isFetchingNextPage}
        onMore={() => void list.fetchNextPage()}
      />
    </Page>
  )
}
