import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api, must } from '../api/client'
import { can } from '../auth/permissions'
import { useUser } from '../auth/useSession'
import {
  LoadMore,
  Loading,
  Page,
  ProblemAlert,
  SelectField,
  StatusBadge,
  TextField,
} from '../components/ui'
import { formatMoney } from '../lib/money'
import { Link } from '../lib/router'

type Status = 'draft' | 'published' | ''

export function Products() {
  const user = useUser()
  const [q, setQ] = useState('')
  const [status, setStatus] = useState<Status>('')
  const list = useInfiniteQuery({
    queryKey: ['products', { q, status }],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      must(
        api.GET('/v1/admin/products', {
          params: {
            query: {
              limit: 25,
              ...(q.trim() ? { q: q.trim() } : {}),
              ...(status ? { status } : {}),
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  })
  const products = list.data?.pages.flatMap((p) => p.data) ?? []

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
      <ProblemAlert error={list.error} />
      {list.isPending ? (
        <Loading what="products" />
      ) : products.length === 0 ? (
        <p>No products match.</p>
      ) : (
        <div className="table-wrap" role="region" aria-label="Products" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Status</th>
                <th scope="col">Price</th>
                <th scope="col">Variants</th>
                <th scope="col">Available</th>
              </tr>
            </thead>
            <tbody>
              {products.map((p) => {
                const price = p.variants[0]?.price ?? p.variants[0]?.prices[0]
                return (
                  <tr key={p.id}>
                    <td>
                      <Link to={`/products/${p.id}`}>{p.title}</Link>
                    </td>
                    <td>
                      <StatusBadge status={p.status} />
                    </td>
                    <td>{price ? formatMoney(price) : '—'}</td>
                    <td>{p.variants.length}</td>
                    <td>{p.variants.reduce((sum, v) => sum + v.available, 0)}</td>
                  </tr>
                )
              })}
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
