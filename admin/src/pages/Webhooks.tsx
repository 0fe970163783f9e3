import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api, must } from '../api/client'
import { Loading, Page, ProblemAlert, TextField, formatDate } from '../components/ui'

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
  const list = useQuery({
    queryKey: ['webhooks'],
    queryFn: () =>
      must(api.GET('/v1/admin/webhook-endpoints', { params: { query: { limit: 100 } } })),
  })
  const [selected, setSelected] = useState<string | null>(null)
  return (
    <Page title="Webhooks">
      <NewEndpoint />
      <ProblemAlert error={list.error} />
      {list.isPending ? (
        <Loading what="endpoints" />
      ) : list.data?.data.length === 0 ? (
        <p>No endpoints yet.</p>
      ) : (
        list.data?.data.map((e) => (
          <section className="card" key={e.id} aria-label={e.url}>
            <h2>{e.url}</h2>
            <p>
              {e.enabled ? 'Enabled' : `Disabled${e.disabledReason ? `: ${e.disabledReason}` : ''}`}{' '}
              · {e.events.join(', ')}
            </p>
            <EndpointActions id={e.id} enabled={e.enabled} />
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
      )}
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

function EndpointActions({ id, enabled }: { id: string; enabled: boolean }) {
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
        <button
          type="button"
          className="secondary"
          disabled={rotate.isPending}
          onClick={() =>
            window.confirm('Rotate the signing secret? The old one keeps working for 24 hours.') &&
            rotate.mutate()
          }
        >
          Rotate secret
        </button>
      </div>
    </div>
  )
}

function Deliveries({ id }: { id: string }) {
  const queryClient = useQueryClient()
  const deliveries = useQuery({
    queryKey: ['webhooks', id, 'deliveries'],
    queryFn: () =>
      must(
        api.GET('/v1/admin/webhook-endpoints/{id}/deliveries', {
          params: { path: { id }, query: { limit: 50 } },
        }),
      ),
  })
  const retry = useMutation({
    mutationFn: (deliveryId: string) =>
      must(
        api.POST('/v1/admin/webhook-endpoints/{id}/deliveries/{deliveryId}/retry', {
          params: { path: { id, deliveryId } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['webhooks', id, 'deliveries'] }),
  })
  if (deliveries.isPending) return <Loading what="deliveries" />
  return (
    <>
      <ProblemAlert error={deliveries.error ?? retry.error} />
      <div className="table-wrap" role="region" aria-label="Deliveries" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last response</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {deliveries.data?.data.map((d) => {
              const last = d.attempts.at(-1)
              return (
                <tr key={d.id}>
                  <td>{d.eventType}</td>
                  <td>{d.status}</td>
                  <td>{d.attemptCount}</td>
                  <td>{last ? (last.statusCode ?? last.error ?? '—') : '—'}</td>
                  <td>{formatDate(d.createdAt)}</td>
                  <td>
                    {d.status === 'failed' && (
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => retry.mutate(d.id)}
                      >
                        Retry
                      </button>
                    )}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </>
  )
}
