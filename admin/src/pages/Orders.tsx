import { useState } from 'react'
import { api, must, type ListRow } from '../api/client'
import { DataTable, PagedView, byId, usePagedList, type Column } from '../components/PagedList'
import { Page, SelectField, StatusBadge, TextField, formatDate } from '../components/ui'
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

const COLUMNS: Column<ListRow<'/v1/admin/orders'>>[] = [
  { header: 'Number', cell: (o) => <Link to={`/orders/${o.id}`}>{o.number}</Link> },
  { header: 'Status', cell: (o) => <StatusBadge status={o.status} /> },
  { header: 'Email', cell: (o) => o.email },
  { header: 'Total', cell: (o) => formatMoney(o.totals.total) },
  { header: 'Placed', cell: (o) => formatDate(o.createdAt) },
]

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
  const list = usePagedList(['orders', { q, status, from, to }], (cursor) =>
    must(
      api.GET('/v1/admin/orders', {
        params: {
          query: {
            limit: 25,
            ...(q.trim() ? { q: q.trim() } : {}),
            ...(status ? { status } : {}),
            ...(createdFrom ? { createdFrom } : {}),
            ...(createdTo ? { createdTo } : {}),
            ...(cursor ? { cursor } : {}),
          },
        },
      }),
    ),
  )

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
      <PagedView list={list} what="orders" empty="No orders match.">
        {(orders) => <DataTable label="Orders" columns={COLUMNS} rows={orders} rowKey={byId} />}
      </PagedView>
    </Page>
  )
}
