import { useState } from 'react'
import { api, must, type ListRow } from '../api/client'
import { can } from '../auth/permissions'
import { useUser } from '../auth/useSession'
import { DataTable, PagedView, byId, usePagedList, type Column } from '../components/PagedList'
import { Page, SelectField, StatusBadge, TextField } from '../components/ui'
import { formatMoney } from '../lib/money'
import { Link } from '../lib/router'

type Status = 'draft' | 'published' | ''

const COLUMNS: Column<ListRow<'/v1/admin/products'>>[] = [
  { header: 'Title', cell: (p) => <Link to={`/products/${p.id}`}>{p.title}</Link> },
  { header: 'Status', cell: (p) => <StatusBadge status={p.status} /> },
  {
    header: 'Price',
    cell: (p) => {
      const price = p.variants[0]?.price ?? p.variants[0]?.prices[0]
      return price ? formatMoney(price) : '—'
    },
  },
  { header: 'Variants', cell: (p) => p.variants.length },
  { header: 'Available', cell: (p) => p.variants.reduce((sum, v) => sum + v.available, 0) },
]

export function Products() {
  const user = useUser()
  const [q, setQ] = useState('')
  const [status, setStatus] = useState<Status>('')
  const list = usePagedList(['products', { q, status }], (cursor) =>
    must(
      api.GET('/v1/admin/products', {
        params: {
          query: {
            limit: 25,
            ...(q.trim() ? { q: q.trim() } : {}),
            ...(status ? { status } : {}),
            ...(cursor ? { cursor } : {}),
          },
        },
      }),
    ),
  )

  return (
    <Page
      title="Products"
      actions={
        can(user, 'catalog:write') && (
          <Link to="/products/new" className="button">
            New product
          </Link>
        )
      }
    >
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <TextField
          label="Search products"
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder="Title or SKU"
        />
        <SelectField
          label="Status"
          value={status}
          onChange={(e) => setStatus(e.target.value as Status)}
          options={[
            { value: '', label: 'All' },
            { value: 'published', label: 'Published' },
            { value: 'draft', label: 'Draft' },
          ]}
        />
      </form>
      <PagedView list={list} what="products" empty="No products match.">
        {(products) => (
          <DataTable label="Products" columns={COLUMNS} rows={products} rowKey={byId} />
        )}
      </PagedView>
    </Page>
  )
}
