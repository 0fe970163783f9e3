import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api, must } from '../api/client'
import type { paths } from '../api/schema'
import { LoadMore, Loading, Page, ProblemAlert, SelectField, formatDate } from '../components/ui'

type Action = NonNullable<
  NonNullable<paths['/v1/admin/audit-log']['get']['parameters']['query']>['action']
>

/** Every action the API records (a new one fails the type check until it is listed here). */
const ACTIONS: Record<Action, true> = {
  'auth.login_succeeded': true,
  'auth.login_failed': true,
  'auth.account_locked': true,
  'auth.refresh_reuse_detected': true,
  'auth.mfa_enabled': true,
  'auth.mfa_disabled': true,
  'auth.password_changed': true,
  'staff.invited': true,
  'staff.role_changed': true,
  'staff.status_changed': true,
  'api_key.created': true,
  'api_key.revoked': true,
}

export function AuditLog() {
  const [action, setAction] = useState<Action | ''>('')
  const log = useInfiniteQuery({
    queryKey: ['audit', action],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      must(
        api.GET('/v1/admin/audit-log', {
          params: {
            query: {
              limit: 50,
              ...(action ? { action } : {}),
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  })
  const entries = log.data?.pages.flatMap((p) => p.data) ?? []
  return (
    <Page title="Audit log">
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          label="Action"
          value={action}
          onChange={(e) => setAction(e.target.value as Action | '')}
          options={[
            { value: '', label: 'All actions' },
            ...Object.keys(ACTIONS).map((a) => ({ value: a, label: a })),
          ]}
        />
      </form>
      <ProblemAlert error={log.error} />
      {log.isPending ? (
        <Loading what="the audit log" />
      ) : (
        <div className="table-wrap" role="region" aria-label="Audit log entries" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Actor</th>
                <th scope="col">Subject</th>
                <th scope="col">IP</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{formatDate(e.occurredAt)}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>
                    {e.actor.type}
                    {e.actor.id ? ` ${e.actor.id}` : ''}
                  </td>
                  <td>{e.subjectId ?? '—'}</td>
                  <td>{e.ip ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore
        hasMore={log.hasNextPage}
        loading={log.isFetchingNextPage}
        onMore={() => void log.fetchNextPage()}
      />
    </Page>
  )
}
