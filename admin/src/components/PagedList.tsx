import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { LoadMore, Loading, ProblemAlert } from './ui'

/** One page of a list in the API's standard shape (`{ data, page: { nextCursor } }`). */
export interface ListPage<T> {
  data: T[]
  page: { nextCursor?: string | null }
}

/**
 * A list read page by page with the API's cursors. `key` names the list and its filters: a new
 * filter starts from the first page (the previous rows stay on screen until it arrives), and
 * invalidating the key's first element reloads it.
 */
export function usePagedList<T>(
  key: readonly unknown[],
  fetchPage: (cursor: string | undefined) => Promise<ListPage<T>>,
) {
  const query = useInfiniteQuery({
    queryKey: key,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    getNextPageParam: (last) => last.page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  })
  return { query, rows: query.data?.pages.flatMap((p) => p.data) ?? [] }
}

export type PagedList<T> = ReturnType<typeof usePagedList<T>>

/**
 * A paged list's states in order: its problem (the API's `detail`), loading, nothing to show,
 * the rows as `children` draws them, and "Load more" while the API has more.
 */
export function PagedView<T>(props: {
  list: PagedList<T>
  what: string
  empty: ReactNode
  /** A problem of an action on the rows, shown where the list's own would be. */
  error?: unknown
  children: (rows: T[]) => ReactNode
}) {
  const { query, rows } = props.list
  return (
    <>
      <ProblemAlert error={query.error ?? props.error} />
      {query.isPending ? (
        <Loading what={props.what} />
      ) : rows.length === 0 ? (
        <p>{props.empty}</p>
      ) : (
        props.children(rows)
      )}
      <LoadMore
        hasMore={query.hasNextPage}
        loading={query.isFetchingNextPage}
        onMore={() => void query.fetchNextPage()}
      />
    </>
  )
}

export interface Column<T> {
  /** The column's heading; `hidden` keeps it for screen readers only (an actions column). */
  header: string
  hidden?: boolean
  cell: (row: T) => ReactNode
}

/** Rows as a table in a labelled region that scrolls sideways on a narrow screen. */
export function DataTable<T>(props: {
  label: string
  columns: Column<T>[]
  rows: T[]
  rowKey: (row: T) => string
}) {
  return (
    <div className="table-wrap" role="region" aria-label={props.label} tabIndex={0}>
      <table>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th key={c.header} scope="col">
                {c.hidden ? <span className="visually-hidden">{c.header}</span> : c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={props.rowKey(row)}>
              {props.columns.map((c) => (
                <td key={c.header}>{c.cell(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** The usual row key. */
export const byId = (row: { id: string }) => row.id
