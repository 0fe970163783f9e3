import { useState } from 'react'
import { api, must, type ListRow } from '../api/client'
import { DataTable, PagedView, byId, usePagedList, type Column } from '../components/PagedList'
import { Page, StatusBadge, TextField, formatDate } from '../components/ui'

const COLUMNS: Column<ListRow<'/v1/admin/customers'>>[] = [
  { header: 'Email', cell: (c) => c.email },
  { header: 'Name', cell: (c) => c.name },
  { header: 'Email verified', cell: (c) => (c.emailVerified ? 'Yes' : 'No') },
  { header: 'Status', cell: (c) => <StatusBadge status={c.status} /> },
  { header: 'Joined', cell: (c) => formatDate(c.createdAt) },
]

/** Customer accounts, newest first, searched by part of the email or the name. */
export function Customers() {
  const [q, setQ] = useState('')
  const search = q.trim()
  const list = usePagedList(['customers', { q: search }], (cursor) =>
    must(
      api.GET('/v1/admin/customers', {
        params: {
          query: { limit: 25, ...(search ? { q: search } : {}), ...(cursor ? { cursor } : {}) },
        },
      }),
    ),
  )
  return (
    <Page title="Customers">
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <TextField
          label="Search customers"
          type="search"
          value={q}
          placeholder="Email or name"
          maxLength={200}
          onChange={(e) => setQ(e.target.value)}
        />
      </form>
      <PagedView
        list={list}
        what="customers"
        empty={search ? 'No customer matches.' : 'No customer accounts yet.'}
      >
        {(customers) => (
          <DataTable label="Customers" columns={COLUMNS} rows={customers} rowKey={byId} />
        )}
      </PagedView>
    </Page>
  )
}
