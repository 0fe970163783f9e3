import { useState } from 'react'
import { api, must, type ListRow } from '../api/client'
import type { paths } from '../api/schema'
import { DataTable, PagedView, byId, usePagedList, type Column } from '../components/PagedList'
import { Page, SelectField, formatDate } from '../components/ui'

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

const COLUMNS: Column<ListRow<'/v1/admin/audit-log'>>[] = [
  { header: 'When', cell: (e) => formatDate(e.occurredAt) },
  { header: 'Action', cell: (e) => <code>{e.action}</code> },
  { header: 'Actor', cell: (e) => `${e.actor.type}${e.actor.id ? ` ${e.actor.id}` : ''}` },
  { header: 'Subject', cell: (e) => e.subjectId ?? '—' },
  { header: 'IP', cell: (e) => e.ip ?? '—' },
]

export function AuditLog() {
  const [action, setAction] = useState<Action | ''>('')
  const log = usePagedList(['audit', action], (cursor) =>
    must(
      api.GET('/v1/admin/audit-log', {
        params: {
          query: { limit: 50, ...(action ? { action } : {}), ...(cursor ? { cursor } : {}) },
        },
      }),
    ),
  )
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
      <PagedView list={log} what="the audit log" empty="No entries match.">
        {(entries) => (
          <DataTable label="Audit log entries" columns={COLUMNS} rows={entries} rowKey={byId} />
        )}
      </PagedView>
    </Page>
  )
}
