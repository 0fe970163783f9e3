import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api, must, type AdminProduct, type Schemas } from '../api/client'
import { can } from '../auth/permissions'
import { useUser } from '../auth/useSession'
import { CONFLICT_MESSAGE, ifMatch, isConflict } from '../lib/conflict'
import { currencyOptions } from '../lib/currencies'
import { toInputText } from '../lib/money'
import { newProductBody, parseStock, pricesBody } from '../lib/product-form'
import { ProblemAlert, SelectField, TextField } from './ui'

type PriceRow = { currency: string; amount: string }

function rowsOf(variant: Schemas['AdminVariant']): PriceRow[] {
  return [
    ...variant.prices.map((p) => ({
      currency: p.currency,
      amount: toInputText(p.amount, p.currency),
    })),
    { currency: variant.prices.some((p) => p.currency === 'USD') ? 'GBP' : 'USD', amount: '' },
  ]
}

function useProductCache() {
  const queryClient = useQueryClient()
  return (next: AdminProduct) => {
    queryClient.setQueryData(['product', next.id], next)
    void queryClient.invalidateQueries({ queryKey: ['products'] })
  }
}

interface Props {
  product: AdminProduct
  variant: Schemas['AdminVariant']
  onConflict: () => void
}

/** One variant: SKU, a price per currency (blank drops it), and units on hand. */
export function VariantEditor({ product, variant, onConflict }: Props) {
  const user = useUser()
  const writable = can(user, 'catalog:write')
  const stockWritable = can(user, 'inventory:write')
  const store = useProductCache()
  const [sku, setSku] = useState(variant.sku)
  const [rows, setRows] = useState(() => rowsOf(variant))
  const [stock, setStock] = useState(String(variant.onHand))
  const [errors, setErrors] = useState<{ rows?: Record<number, string>; stock?: string }>({})
  const [saved, setSaved] = useState(false)

  const save = useMutation({
    mutationFn: async (change: { prices: Schemas['Money'][]; onHand: number }) => {
      const next = await must(
        api.PATCH('/v1/admin/products/{id}/variants/{variantId}', {
          params: { path: { id: product.id, variantId: variant.id } },
          headers: ifMatch(product.version),
          body: { sku: sku.trim(), prices: change.prices },
        }),
      )
      if (stockWritable && change.onHand !== variant.onHand) {
        await must(
          api.PUT('/v1/admin/inventory/{variantId}', {
            params: { path: { variantId: variant.id } },
            body: { onHand: change.onHand },
          }),
        )
        return must(api.GET('/v1/admin/products/{id}', { params: { path: { id: product.id } } }))
      }
      return next
    },
    onSuccess: (next) => {
      setSaved(true)
      store(next)
    },
  })
  const remove = useMutation({
    mutationFn: () =>
      must(
        api.DELETE('/v1/admin/products/{id}/variants/{variantId}', {
          params: { path: { id: product.id, variantId: variant.id } },
          headers: ifMatch(product.version),
        }),
      ),
    onSuccess: store,
  })

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setSaved(false)
    const prices = pricesBody(rows)
    const onHand = parseStock(stock)
    setErrors({
      ...(prices.ok ? {} : { rows: prices.errors }),
      ...(onHand.ok ? {} : { stock: onHand.message }),
    })
    if (prices.ok && onHand.ok) save.mutate({ prices: prices.prices, onHand: onHand.value })
  }
  const error = save.error ?? remove.error
  const setRow = (i: number, patch: Partial<PriceRow>) =>
    setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)))

  return (
    <form className="card" onSubmit={submit} aria-label={`Variant ${variant.sku}`}>
      {isConflict(error) ? (
        <div role="alert" className="alert">
          <p>{CONFLICT_MESSAGE}</p>
          <button type="button" onClick={onConflict}>
            Reload
          </button>
        </div>
      ) : (
        <ProblemAlert error={error} />
      )}
      {saved && !save.isPending && (
        <p role="status" className="notice">
          Variant saved.
        </p>
      )}
      <fieldset disabled={!writable}>
        <legend>
          {variant.title || variant.sku}{' '}
          <span className="muted">
            {variant.available} available · {variant.reserved} reserved
          </span>
        </legend>
        <TextField label="SKU" value={sku} onChange={(e) => setSku(e.target.value)} required />
        {rows.map((row, i) => (
          <div className="row" key={i}>
            <TextField
              label={`Price ${i + 1}`}
              inputMode="decimal"
              value={row.amount}
              error={errors.rows?.[i]}
              hint={i === rows.length - 1 ? 'Add a price in another currency' : undefined}
              onChange={(e) => setRow(i, { amount: e.target.value })}
            />
            <SelectField
              label={`Currency ${i + 1}`}
              options={currencyOptions}
              value={row.currency}
              onChange={(e) => setRow(i, { currency: e.target.value })}
            />
          </div>
        ))}
        <TextField
          label="Stock"
          inputMode="numeric"
          value={stock}
          error={errors.stock}
          disabled={!stockWritable}
          hint="Units on hand"
          onChange={(e) => setStock(e.target.value)}
        />
        {writable && (
          <div className="actions">
            <button type="submit" disabled={save.isPending}>
              Save variant
            </button>
            {product.variants.length > 1 && (
              <button
                type="button"
                className="danger"
                disabled={remove.isPending}
                onClick={() => window.confirm(`Delete variant ${variant.sku}?`) && remove.mutate()}
              >
                Delete variant
              </button>
            )}
          </div>
        )}
      </fieldset>
    </form>
  )
}

/** A new variant of `product`: SKU, one price and its stock (more prices once it exists). */
export function VariantAdd({ product }: { product: AdminProduct }) {
  const store = useProductCache()
  const [values, setValues] = useState({ sku: '', price: '', currency: 'EUR', stock: '0' })
  const [errors, setErrors] = useState<Record<string, string | undefined>>({})
  const add = useMutation({
    mutationFn: (body: { sku: string; price: Schemas['Money']; onHand: number }) =>
      must(
        api.POST('/v1/admin/products/{id}/variants', {
          params: { path: { id: product.id } },
          headers: ifMatch(product.version),
          body,
        }),
      ),
    onSuccess: (next) => {
      setValues({ sku: '', price: '', currency: values.currency, stock: '0' })
      store(next)
    },
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    // The same checks as a new product's first variant.
    const checked = newProductBody({
      ...values,
      title: product.title,
      description: '',
      status: 'draft',
    })
    if (!checked.ok) return setErrors(checked.errors)
    setErrors({})
    add.mutate(checked.body.variants[0]!)
  }
  const field = (name: keyof typeof values) => ({
    value: values[name],
    error: errors[name],
    onChange: (e: { target: { value: string } }) =>
      setValues({ ...values, [name]: e.target.value }),
  })
  return (
    <form className="card" onSubmit={submit} aria-label="Add a variant" noValidate>
      <ProblemAlert error={add.error} />
      <fieldset>
        <legend>Add a variant</legend>
        <TextField label="New variant SKU" {...field('sku')} />
        <div className="row">
          <TextField label="New variant price" inputMode="decimal" {...field('price')} />
          <SelectField
            label="New variant currency"
            options={currencyOptions}
            {...field('currency')}
          />
        </div>
        <TextField label="New variant stock" inputMode="numeric" {...field('stock')} />
        <button type="submit" disabled={add.isPending}>
          Add variant
        </button>
      </fieldset>
    </form>
  )
}
