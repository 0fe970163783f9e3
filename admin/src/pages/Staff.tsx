import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api, must } from '../api/client'
import { can, type Permission } from '../auth/permissions'
import { useUser } from '../auth/useSession'
import { DataTable, PagedView, byId, usePagedList } from '../components/PagedList'
import { Page, ProblemAlert, SelectField, TextField, formatDate } from '../components/ui'
import { PERMISSIONS } from '../../../src/modules/auth/core/permissions'

export function Staff() {
  const user = useUser()
  return (
    <Page title="Staff and API keys">
      <StaffList />
      {can(user, 'api_keys:manage') && <ApiKeys />}
    </Page>
  )
}

function StaffList() {
  const me = useUser()
  const queryClient = useQueryClient()
  const staff = usePagedList(['staff'], (cursor) =>
    must(
      api.GET('/v1/admin/staff', {
        params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } },
      }),
    ),
  )
  const change = useMutation({
    mutationFn: (args: {
      id: string
      body: { role?: 'staff' | 'admin'; status?: 'active' | 'disabled' }
    }) =>
      must(
        api.PATCH('/v1/admin/staff/{id}', { params: { path: { id: args.id } }, body: args.body }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['staff'] }),
  })
  return (
    <section aria-labelledby="staff-title">
      <h2 id="staff-title">Staff</h2>
      <InviteStaff />
      <PagedView list={staff} what="staff" empty="No staff yet." error={change.error}>
        {(members) => (
          <DataTable
            label="Staff members"
            rows={members}
            rowKey={byId}
            columns={[
              { header: 'Name', cell: (s) => s.name },
              { header: 'Email', cell: (s) => s.email },
              {
                header: 'Role',
                cell: (s) =>
                  s.id === me.id ? (
                    s.role
                  ) : (
                    <SelectField
                      label={`Role of ${s.email}`}
                      value={s.role}
                      options={[
                        { value: 'staff', label: 'staff' },
                        { value: 'admin', label: 'admin' },
                      ]}
                      onChange={(e) =>
                        change.mutate({
                          id: s.id,
                          body: { role: e.target.value as 'staff' | 'admin' },
                        })
                      }
                    />
                  ),
              },
              {
                header: 'Status',
                cell: (s) => (
                  <>
                    {s.status}{' '}
                    {s.id !== me.id && (
                      <button
                        type="button"
                        className="secondary"
                        onClick={() =>
                          change.mutate({
                            id: s.id,
                            body: { status: s.status === 'active' ? 'disabled' : 'active' },
                          })
                        }
                      >
                        {s.status === 'active' ? `Disable ${s.email}` : `Enable ${s.email}`}
                      </button>
                    )}
                  </>
                ),
              },
            ]}
          />
        )}
      </PagedView>
    </section>
  )
}

function InviteStaff() {
  const queryClient = useQueryClient()
  const [email, setEmail] = useState('')
  const [name, setName] = useState('')
  const [role, setRole] = useState<'staff' | 'admin'>('staff')
  const invite = useMutation({
    mutationFn: () =>
      must(api.POST('/v1/admin/staff', { body: { email: email.trim(), name: name.trim(), role } })),
    onSuccess: () => {
      setEmail('')
      setName('')
      void queryClient.invalidateQueries({ queryKey: ['staff'] })
    },
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    invite.mutate()
  }
  return (
    <form className="card" aria-label="Invite staff" onSubmit={submit}>
      <h3>Invite</h3>
      <ProblemAlert error={invite.error} />
      {invite.isSuccess && (
        <p role="status" className="notice">
          Invited {invite.data.user.email}: they get an email to set their password.
        </p>
      )}
      <div className="row">
        <TextField label="Name" required value={name} onChange={(e) => setName(e.target.value)} />
        <TextField
          label="Email"
          type="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <SelectField
          label="Role"
          value={role}
          onChange={(e) => setRole(e.target.value as 'staff' | 'admin')}
          options={[
            { value: 'staff', label: 'staff' },
            { value: 'admin', label: 'admin' },
          ]}
        />
      </div>
      <button type="submit" disabled={invite.isPending}>
        Invite
      </button>
    </form>
  )
}

function ApiKeys() {
  const me = useUser()
  const queryClient = useQueryClient()
  const keys = usePagedList(['api-keys'], (cursor) =>
    must(
      api.GET('/v1/admin/api-keys', {
        params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } },
      }),
    ),
  )
  const [name, setName] = useState('')
  const [scopes, setScopes] = useState<Permission[]>(['catalog:read'])
  const create = useMutation({
    mutationFn: () => must(api.POST('/v1/admin/api-keys', { body: { name: name.trim(), scopes } })),
    onSuccess: () => {
      setName('')
      void queryClient.invalidateQueries({ queryKey: ['api-keys'] })
    },
  })
  const revoke = useMutation({
    mutationFn: (id: string) =>
      must(api.DELETE('/v1/admin/api-keys/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['api-keys'] }),
  })
  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      <form
        className="card"
        aria-label="New API key"
        onSubmit={(e) => {
          e.preventDefault()
          create.mutate()
        }}
      >
        <ProblemAlert error={create.error} />
        {create.data && (
          <div role="status" className="notice">
            <p>The new key (shown only now):</p>
            <code className="secret">{create.data.key}</code>
          </div>
        )}
        <TextField
          label="Key name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <fieldset className="checks">
          <legend>Scopes</legend>
          {PERMISSIONS.filter((p) => can(me, p)).map((p) => (
            <label key={p}>
              <input
                type="checkbox"
                checked={scopes.includes(p)}
                onChange={(e) =>
                  setScopes(e.target.checked ? [...scopes, p] : scopes.filter((x) => x !== p))
                }
              />{' '}
              {p}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={create.isPending || scopes.length === 0}>
          Create key
        </button>
      </form>
      <PagedView list={keys} what="API keys" empty="No API keys yet." error={revoke.error}>
        {(rows) => (
          <DataTable
            label="API keys"
            rows={rows}
            rowKey={byId}
            columns={[
              { header: 'Name', cell: (k) => k.name },
              { header: 'Prefix', cell: (k) => <code>{k.prefix}</code> },
              { header: 'Scopes', cell: (k) => k.scopes.join(', ') },
              {
                header: 'Last used',
                cell: (k) => (k.lastUsedAt ? formatDate(k.lastUsedAt) : 'never'),
              },
              {
                header: 'Actions',
                hidden: true,
                cell: (k) =>
                  k.revokedAt ? (
                    'revoked'
                  ) : (
                    <button
                      type="button"
                      className="danger"
                      onClick={() => window.confirm(`Revoke ${k.name}?`) && revoke.mutate(k.id)}
                    >
                      Revoke {k.name}
                    </button>
                  ),
              },
            ]}
          />
        )}
      </PagedView>
    </section>
  )
}
