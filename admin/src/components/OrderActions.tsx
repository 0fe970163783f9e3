import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api, must, type Order } from '../api/client'
import { formatMoney, parseAmount, toInputText } from '../lib/money'
import { ProblemAlert, TextArea, TextField } from './ui'

function useOrderUpdate() {
  const queryClient = useQueryClient()
  return (next: Order) => {
    queryClient.setQueryData(['order', next.id], next)
    void queryClient.invalidateQueries({ queryKey: ['orders'] })
  }
}

/** Ship a paid order: carrier and tracking number are optional. */
export function FulfilForm({ order }: { order: Order }) {
  const update = useOrderUpdate()
  const [carrier, setCarrier] = useState('')
  const [tracking, setTracking] = useState('')
  const fulfil = useMutation({
    mutationFn: () =>
      must(
        api.POST('/v1/admin/orders/{id}/fulfillments', {
          params: { path: { id: order.id } },
          body: {
            ...(carrier.trim() ? { carrier: carrier.trim() } : {}),
            ...(tracking.trim() ? { trackingNumber: tracking.trim() } : {}),
          },
        }),
      ),
    onSuccess: update,
  })
  return (
    <form
      className="card"
      aria-label="Fulfil"
      onSubmit={(e) => {
        e.preventDefault()
        fulfil.mutate()
      }}
    >
      <h3>Fulfil</h3>
      <ProblemAlert error={fulfil.error} />
      <div className="row">
        <TextField label="Carrier" value={carrier} onChange={(e) => setCarrier(e.target.value)} />
        <TextField
          label="Tracking number"
          value={tracking}
          onChange={(e) => setTracking(e.target.value)}
        />
      </div>
      <button type="submit" disabled={fulfil.isPending}>
        Mark as fulfilled
      </button>
    </form>
  )
}

export function DeliveredButton({ order }: { order: Order }) {
  const update = useOrderUpdate()
  const delivered = useMutation({
    mutationFn: () =>
      must(api.POST('/v1/admin/orders/{id}/delivered', { params: { path: { id: order.id } } })),
    onSuccess: update,
  })
  return (
    <div className="card">
      <ProblemAlert error={delivered.error} />
      <button type="button" disabled={delivered.isPending} onClick={() => delivered.mutate()}>
        Mark as delivered
      </button>
    </div>
  )
}

/** What is left to refund on `order`, in minor units. */
export function refundable(order: Order): number {
  return order.payment.amount.amount - order.payment.refunded.amount
}

/**
 * Refund all or part of what is left. Two steps: the amount and reason, then an explicit
 * confirmation naming the amount, because a refund cannot be undone.
 */
export function RefundForm({ order }: { order: Order }) {
  const update = useOrderUpdate()
  const left = refundable(order)
  const currency = order.payment.amount.currency
  const [open, setOpen] = useState(false)
  const [amount, setAmount] = useState(toInputText(left, currency))
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | undefined>()
  const [confirming, setConfirming] = useState<number | null>(null)
  const refund = useMutation({
    mutationFn: (minor: number) =>
      must(
        api.POST('/v1/admin/orders/{id}/refunds', {
          params: { path: { id: order.id } },
          body: { amount: minor, ...(reason.trim() ? { reason: reason.trim() } : {}) },
        }),
      ),
    onSuccess: (next) => {
      setOpen(false)
      setConfirming(null)
      update(next)
    },
  })
  if (!open) {
    return (
      <div className="card">
        <button type="button" className="danger" onClick={() => setOpen(true)}>
          Refund
        </button>
      </div>
    )
  }
  const review = (event: FormEvent) => {
    event.preventDefault()
    const parsed = parseAmount(amount, currency)
    if (!parsed.ok) return setError(parsed.message)
    if (parsed.amount === 0) return setError('Refund more than nothing.')
    if (parsed.amount > left) {
      return setError(`At most ${formatMoney({ amount: left, currency })} is left to refund.`)
    }
    setError(undefined)
    setConfirming(parsed.amount)
  }
  return (
    <form className="card" aria-label="Refund" onSubmit={review} noValidate>
      <h3>Refund</h3>
      <ProblemAlert error={refund.error} />
      <TextField
        label="Refund amount"
        inputMode="decimal"
        value={amount}
        error={error}
        hint={`Up to ${formatMoney({ amount: left, currency })}`}
        disabled={confirming !== null}
        onChange={(e) => setAmount(e.target.value)}
      />
      <TextArea
        label="Reason"
        rows={2}
        value={reason}
        disabled={confirming !== null}
        onChange={(e) => setReason(e.target.value)}
      />
      {confirming === null ? (
        <div className="actions">
          <button type="submit">Review refund</button>
          <button type="button" className="secondary" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <div role="alertdialog" aria-label="Confirm refund" className="confirm">
          <p>
            Refund {formatMoney({ amount: confirming, currency })} to the customer? This cannot be
            undone.
          </p>
          <div className="actions">
            <button
              type="button"
              className="danger"
              autoFocus
              disabled={refund.isPending}
              onClick={() => refund.mutate(confirming)}
            >
              Confirm refund of {formatMoney({ amount: confirming, currency })}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(null)}>
              Back
            </button>
          </div>
        </div>
      )}
    </form>
  )
}

export function NoteForm({ order }: { order: Order }) {
  const update = useOrderUpdate()
  const [text, setText] = useState('')
  const note = useMutation({
    mutationFn: () =>
      must(
        api.POST('/v1/admin/orders/{id}/notes', {
          params: { path: { id: order.id } },
          body: { text: text.trim() },
        }),
      ),
    onSuccess: (next) => {
      setText('')
      update(next)
    },
  })
  return (
    <form
      aria-label="Add a note"
      onSubmit={(e) => {
        e.preventDefault()
        if (text.trim()) note.mutate()
      }}
    >
      <ProblemAlert error={note.error} />
      <TextArea label="Note" rows={2} value={text} onChange={(e) => setText(e.target.value)} />
      <button type="submit" className="secondary" disabled={note.isPending}>
        Add note
      </button>
    </form>
  )
}
