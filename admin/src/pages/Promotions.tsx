import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api, must, type ListRow } from '../api/client'
import type { paths } from '../api/schema'
import { DataTable, PagedView, byId, usePagedList } from '../components/PagedList'
import { Page, ProblemAlert, SelectField, TextField } from '../components/ui'
import { currencyOptions } from '../lib/currencies'
import { formatMoney, parseAmount } from '../lib/money'

type NewPromotionBody =
  paths['/v1/admin/promotions']['post']['requestBody']['content']['application/json']
type Kind = 'percentage' | 'fixed_amount' | 'free_shipping'
type Promotion = ListRow<'/v1/admin/promotions'>

function describe(p: Promotion): string {
  if (p.kind === 'percentage') return `${(p.percentOffBps ?? 0) / 100}% off`
  if (p.kind === 'fixed_amount')
    return `${(p.amountOff ?? []).map((m) => formatMoney(m)).join(' / ')} off`
  return 'Free shipping'
}

export function Promotions() {
  const queryClient = useQueryClient()
  const list = usePagedList(['promotions'], (cursor) =>
    must(
      api.GET('/v1/admin/promotions', {
        params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } },
      }),
    ),
  )
  const toggle = useMutation({
    mutationFn: (p: Promotion) =>
      must(
        api.PATCH('/v1/admin/promotions/{id}', {
          params: { path: { id: p.id } },
          body: { active: !p.active },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['promotions'] }),
  })
  return (
    <Page title="Promotions">
      <NewPromotion />
      <PagedView list={list} what="promotions" empty="No promotions yet." error={toggle.error}>
        {(promotions) => (
          <DataTable
            label="Promotions"
            rows={promotions}
            rowKey={byId}
            columns={[
              { header: 'Code', cell: (p) => <code>{p.code}</code> },
              { header: 'Discount', cell: describe },
              {
                header: 'Used',
                cell: (p) => `${p.timesUsed}${p.usageLimit !== null ? ` of ${p.usageLimit}` : ''}`,
              },
              {
                header: 'Active',
                cell: (p) => (
                  <button
                    type="button"
                    className="secondary"
                    aria-pressed={p.active}
                    onClick={() => toggle.mutate(p)}
                  >
                    {p.active ? `Deactivate ${p.code}` : `Activate ${p.code}`}
                  </button>
                ),
              },
            ]}
          />
        )}
      </PagedView>
    </Page>
  )
}

function NewPromotion() {
  const queryClient = useQueryClient()
  const [code, setCode] = useState('')
  const [kind, setKind] = useState<Kind>('percentage')
  const [value, setValue] = useState('')
  const [currency, setCurrency] = useState('EUR')
  const [error, setError] = useState<string>()
  const create = useMutation({
    mutationFn: (body: NewPromotionBody) => must(api.POST('/v1/admin/promotions', { body })),
    onSuccess: () => {
      setCode('')
      setValue('')
      void queryClient.invalidateQueries({ queryKey: ['promotions'] })
    },
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    setError(undefined)
    if (kind === 'free_shipping') return create.mutate({ code: code.trim(), kind })
    if (kind === 'percentage') {
      const percent = Number(value.replace(',', '.'))
      if (!(percent > 0 && percent <= 100)) return setError('Enter a percentage from 0.01 to 100.')
      return create.mutate({ code: code.trim(), kind, percentOffBps: Math.round(percent * 100) })
    }
    const amount = parseAmount(value, currency)
    if (!amount.ok) return setError(amount.message)
    create.mutate({ code: code.trim(), kind, amountOff: [{ amount: amount.amount, currency }] })
  }
  return (
    <form className="card" aria-label="New promotion" onSubmit={submit}>
      <h2>New promotion</h2>
      <ProblemAlert error={create.error} />
      <div className="row">
        <TextField label="Code" value={code} required onChange={(e) => setCode(e.target.value)} />
        <SelectField
          label="Kind"
          value={kind}
          onChange={(e) => setKind(e.target.value as Kind)}
          options={[
            { value: 'percentage', label: 'Percentage off' },
            { value: 'fixed_amount', label: 'Amount off' },
            { value: 'free_shipping', label: 'Free shipping' },
          ]}
        />
        {kind !== 'free_shipping' && (
          <TextField
            label={kind === 'percentage' ? 'Percent off' : 'Amount off'}
            inputMode="decimal"
            value={value}
            error={error}
            onChange={(e) => setValue(e.target.value)}
          />
        )}
        {kind === 'fixed_amount' && (
          <SelectField
            label="Currency"
            value={currency}
            options={currencyOptions}
            onChange={(e) => setCurrency(e.target.value)}
          />
        )}
      </div>
      <button type="submit" disabled={create.isPending}>
        Create promotion
      </button>
    </form>
  )
}
