import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api, must } from '../api/client'
import { Page, ProblemAlert, SelectField, TextArea, TextField } from '../components/ui'
import { currencyOptions } from '../lib/currencies'
import {
  newProductBody,
  type FieldErrors,
  type NewProductBody,
  type NewProductValues,
} from '../lib/product-form'
import { Link, navigate } from '../lib/router'

const EMPTY: NewProductValues = {
  title: '',
  description: '',
  status: 'draft',
  sku: '',
  price: '',
  currency: 'EUR',
  stock: '0',
}

export function ProductNew() {
  const queryClient = useQueryClient()
  const [values, setValues] = useState(EMPTY)
  const [errors, setErrors] = useState<FieldErrors<keyof NewProductValues>>({})
  const create = useMutation({
    mutationFn: (body: NewProductBody) => must(api.POST('/v1/admin/products', { body })),
    onSuccess: async (product) => {
      await queryClient.invalidateQueries({ queryKey: ['products'] })
      queryClient.setQueryData(['product', product.id], product)
      navigate(`/products/${product.id}`, { replace: true })
    },
  })
  const field = (name: keyof NewProductValues) => ({
    name,
    value: values[name],
    error: errors[name],
    onChange: (e: { target: { value: string } }) =>
      setValues({ ...values, [name]: e.target.value }),
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const checked = newProductBody(values)
    if (!checked.ok) return setErrors(checked.errors)
    setErrors({})
    create.mutate(checked.body)
  }

  return (
    <Page title="New product" actions={<Link to="/products">Back to products</Link>}>
      <ProblemAlert error={create.error} />
      <form className="form" onSubmit={submit} noValidate>
        <TextField label="Title" required {...field('title')} />
        <TextArea label="Description" rows={3} {...field('description')} />
        <SelectField
          label="Status"
          options={[
            { value: 'draft', label: 'Draft (not in the store)' },
            { value: 'published', label: 'Published' },
          ]}
          {...field('status')}
        />
        <fieldset>
          <legend>First variant</legend>
          <TextField label="SKU" required autoCapitalize="characters" {...field('sku')} />
          <div className="row">
            <TextField
              label="Price"
              inputMode="decimal"
              placeholder="19.99"
              required
              {...field('price')}
            />
            <SelectField label="Currency" options={currencyOptions} {...field('currency')} />
          </div>
          <TextField label="Stock" inputMode="numeric" hint="Units on hand" {...field('stock')} />
        </fieldset>
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? 'Saving…' : 'Save'}
        </button>
      </form>
    </Page>
  )
}
