import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api, must } from '../api/client'
import {
  LoadMore,
  Loading,
  Page,
  ProblemAlert,
  StatusBadge,
  TextField,
  formatDate,
} from '../components/ui'

/** Customer accounts, newest first, searched by part of the email or the name. */
export function Customers() {
  const [q, setQ] = useState('')
  const search = q.trim()
  const list = useInfiniteQuery({
    queryKey: ['customers', { q: search }],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      must(
        api.GET('/v1/admin/customers', {
          params: {
            query: {
              limit: 25,
              ...(search ? { q: search } : {}),
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  })
  const customers = list.data?.pages.flatMap((p) => p.data) ?? []
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
      <ProblemAlert error={list.error} />
      {list.isPending ? (
        <Loading what="customers" />
      ) : customers.length === 0 ? (
        <p>{search ? 'No customer matches.' : 'No customer accounts yet.'}</p>
      ) : (
        <div className="table-wrap" role="region" aria-label="Customers" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Name</th>
                <th scope="col">Email verified</th>
                <th scope="col">Status</th>
                <th scope="col">Joined</th>
              </tr>
            </thead>
            <tbody>
              {customers.map((c) => (
                <tr key={c.id}>
                  <td>{c.email}</td>
                  <td>{c.name}</td>
                  <td>{c.emailVerified ? 'Yes' : 'No'}</td>
                  <td>
                    <StatusBadge status={c.status} />
                  </td>
                  <td>{formatDate(c.createdAt)}</td>
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
