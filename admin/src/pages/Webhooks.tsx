import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api, must } from '../api/client'
import { DataTable, PagedView, byId, usePagedList } from '../components/PagedList'
import { Page, ProblemAlert, TextField, formatDate } from '../components/ui'

const EVENTS = [
  'order.created',
  'order.paid',
  'order.cancelled',
  'order.fulfilled',
  'order.refunded',
  'product.created',
  'product.updated',
  'inventory.low_stock',
  'customer.created',
] as const
type EventType = (typeof EVENTS)[number]

/** A signing secret is shown once, right after it was made. */
function SecretOnce({ secret }: { secret: string | null }) {
  if (!secret) return null
  return (
    <div role="status" className="notice">
      <p>New signing secret (shown only now, copy it to the receiver):</p>
      <code className="secret">{secret}</code>
    </div>
  )
}

export function Webhooks() {
  const list = usePagedList(['webhooks'], (cursor) =>
    must(
      api.GET('/v1/admin/webhook-endpoints', {
        params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } },
      }),
    ),
  )
  const [selected, setSelected] = useState<string | null>(null)
  return (
    <Page title="Webhooks">
      <NewEndpoint />
      <PagedView list={list} what="endpoints" empty="No endpoints yet.">
        {(endpoints) =>
          endpoints.map((e) => (
            <section className="card" key={e.id} aria-label={e.url}>
              <h2>{e.url}</h2>
              <p>
                {e.enabled
                  ? 'Enabled'
                  : `Disabled${e.disabledReason ? `: ${e.disabledReason}` : ''}`}{' '}
                · {e.events.join(', ')}
              </p>
              {e.managedBy && (
                <p className="muted">
                  Kept by the {e.managedBy} module: its URL and secret follow the server&apos;s
                  configuration.
                </p>
              )}
              <EndpointActions id={e.id} enabled={e.enabled} managed={e.managedBy !== null} />
              <button
                type="button"
                className="link"
                aria-expanded={selected === e.id}
                onClick={() => setSelected(selected === e.id ? null : e.id)}
              >
                {selected === e.id ? 'Hide deliveries' : 'Show deliveries'}
              </button>
              {selected === e.id && <Deliveries id={e.id} />}
            </section>
          ))
        }
      </PagedView>
    </Page>
  )
}

function NewEndpoint() {
  const queryClient = useQueryClient()
  const [url, setUrl] = useState('')
  const [events, setEvents] = useState<EventType[]>(['order.paid'])
  const create = useMutation({
    mutationFn: () =>
      must(api.POST('/v1/admin/webhook-endpoints', { body: { url: url.trim(), events } })),
    onSuccess: () => {
      setUrl('')
      void queryClient.invalidateQueries({ queryKey: ['webhooks'] })
    },
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    create.mutate()
  }
  return (
    <form className="card" aria-label="New endpoint" onSubmit={submit}>
      <h2>New endpoint</h2>
      <ProblemAlert error={create.error} />
      <SecretOnce secret={create.data?.secret ?? null} />
      <TextField
        label="Endpoint URL"
        type="url"
        required
        value={url}
        onChange={(e) => setUrl(e.target.value)}
      />
      <fieldset className="checks">
        <legend>Events</legend>
        {EVENTS.map((name) => (
          <label key={name}>
            <input
              type="checkbox"
              checked={events.includes(name)}
              onChange={(e) =>
                setEvents(e.target.checked ? [...events, name] : events.filter((x) => x !== name))
              }
            />{' '}
            {name}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={create.isPending || events.length === 0}>
        Add endpoint
      </button>
    </form>
  )
}

function EndpointActions(props: { id: string; enabled: boolean; managed: boolean }) {
  const { id, enabled } = props
  const queryClient = useQueryClient()
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['webhooks'] })
  const toggle = useMutation({
    mutationFn: () =>
      enabled
        ? must(api.POST('/v1/admin/webhook-endpoints/{id}/disable', { params: { path: { id } } }))
        : must(api.POST('/v1/admin/webhook-endpoints/{id}/enable', { params: { path: { id } } })),
    onSuccess: refresh,
  })
  const rotate = useMutation({
    mutationFn: () =>
      must(
        api.POST('/v1/admin/webhook-endpoints/{id}/rotate-secret', {
          params: { path: { id } },
          body: { overlapSeconds: 86_400 },
        }),
      ),
    onSuccess: refresh,
  })
  return (
    <div>
      <ProblemAlert error={toggle.error ?? rotate.error} />
      <SecretOnce secret={rotate.data?.secret ?? null} />
      <div className="actions">
        <button
          type="button"
          className="secondary"
          onClick={() => toggle.mutate()}
          disabled={toggle.isPending}
        >
          {enabled ? 'Disable' : 'Enable'}
        </button>
        {!props.managed && (
          <button
            type="button"
            className="secondary"
            disabled={rotate.isPending}
            onClick={() =>
              window.confirm(
                'Rotate the signing secret? The old one keeps working for 24 hours.',
              ) && rotate.mutate()
            }
          >
            Rotate secret
          </button>
        )}
      </div>
    </div>
  )
}

function Deliveries({ id }: { id: string }) {
  const queryClient = useQueryClient()
  const deliveries = usePagedList(['webhooks', id, 'deliveries'], (cursor) =>
    must(
      api.GET('/v1/admin/webhook-endpoints/{id}/deliveries', {
        params: { path: { id }, query: { limit: 50, ...(cursor ? { cursor } : {}) } },
      }),
    ),
  )
  const retry = useMutation({
    mutationFn: (deliveryId: string) =>
      must(
        api.POST('/v1/admin/webhook-endpoints/{id}/deliveries/{deliveryId}/retry', {
          params: { path: { id, deliveryId } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['webhooks', id, 'deliveries'] }),
  })
  return (
    <PagedView list={deliveries} what="deliveries" empty="No deliveries yet." error={retry.error}>
      {(rows) => (
        <DataTable
          label="Deliveries"
          rows={rows}
          rowKey={byId}
          columns={[
            { header: 'Event', cell: (d) => d.eventType },
            { header: 'Status', cell: (d) => d.status },
            { header: 'Attempts', cell: (d) => d.attemptCount },
            {
              header: 'Last response',
              cell: (d) => {
                const last = d.attempts.at(-1)
                return last ? (last.statusCode ?? last.error ?? '—') : '—'
              },
            },
            { header: 'Created', cell: (d) => formatDate(d.createdAt) },
            {
              header: 'Actions',
              hidden: true,
              cell: (d) =>
                d.status === 'failed' && (
                  <button type="button" className="secondary" onClick={() => retry.mutate(d.id)}>
                    Retry
                  </button>
                ),
            },
          ]}
        />
      )}
    </PagedView>
  )
}
