import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api, must, type AdminProduct, type Schemas } from '../api/client'
import { can } from '../auth/permissions'
import { useUser } from '../auth/useSession'
import { ProductImages } from '../components/ProductImages'
import { VariantAdd, VariantEditor } from '../components/VariantEditor'
import { Loading, Page, ProblemAlert, StatusBadge, TextArea, TextField } from '../components/ui'
import { CONFLICT_MESSAGE, ifMatch, isConflict } from '../lib/conflict'
import { Link } from '../lib/router'

type ProductPatch = {
  title?: string
  description?: string
  status?: 'draft' | 'published'
  categoryIds?: string[]
}

function flatten(categories: Schemas['Category'][], depth = 0): { id: string; name: string }[] {
  return categories.flatMap((c) => [
    { id: c.id, name: `${'— '.repeat(depth)}${c.name}` },
    ...flatten(c.children, depth + 1),
  ])
}

export function ProductEdit({ id }: { id: string }) {
  // The version this page saved last, to say "Saved." once the form starts again from it.
  const [savedVersion, setSavedVersion] = useState<number | null>(null)
  const product = useQuery({
    queryKey: ['product', id],
    queryFn: () => must(api.GET('/v1/admin/products/{id}', { params: { path: { id } } })),
  })
  if (product.isPending) return <Loading what="the product" />
  if (product.error) {
    return (
      <Page title="Product">
        <ProblemAlert error={product.error} />
      </Page>
    )
  }
  // Keyed by version: a save or a reload starts the form again from what the server has.
  return (
    <ProductEditor
      key={product.data.version}
      product={product.data}
      saved={savedVersion === product.data.version}
      onSaved={setSavedVersion}
      onReload={() => void product.refetch()}
    />
  )
}

interface EditorProps {
  product: AdminProduct
  saved: boolean
  onSaved: (version: number) => void
  onReload: () => void
}

function ProductEditor({ product, saved, onSaved, onReload }: EditorProps) {
  const user = useUser()
  const writable = can(user, 'catalog:write')
  const queryClient = useQueryClient()
  const categories = useQuery({
    queryKey: ['categories'],
    queryFn: () => must(api.GET('/v1/categories')),
    select: (data) => flatten(data.data),
  })
  const [title, setTitle] = useState(product.title)
  const [description, setDescription] = useState(product.description)
  const [categoryIds, setCategoryIds] = useState(product.categories.map((c) => c.id))

  const update = useMutation({
    mutationFn: (body: ProductPatch) =>
      must(
        api.PATCH('/v1/admin/products/{id}', {
          params: { path: { id: product.id } },
          headers: ifMatch(product.version),
          body,
        }),
      ),
    onSuccess: (next) => {
      queryClient.setQueryData(['product', next.id], next)
      void queryClient.invalidateQueries({ queryKey: ['products'] })
      onSaved(next.version)
    },
  })
  const reload = () => {
    update.reset()
    onReload()
  }
  const submit = (event: FormEvent) => {
    event.preventDefault()
    update.mutate({ title: title.trim(), description, categoryIds })
  }
  const publishing = product.status === 'draft'

  return (
    <Page title={product.title} actions={<Link to="/products">Back to products</Link>}>
      <p>
        <StatusBadge status={product.status} />{' '}
        <span className="muted">
          /{product.slug} · version {product.version}
        </span>
      </p>
      {isConflict(update.error) ? (
        <div role="alert" className="alert">
          <p>{CONFLICT_MESSAGE}</p>
          <button type="button" onClick={reload}>
            Reload
          </button>
        </div>
      ) : (
        <ProblemAlert error={update.error} />
      )}
      {saved && (
        <p role="status" className="notice">
          Saved.
        </p>
      )}
      <form className="form" onSubmit={submit}>
        <fieldset disabled={!writable}>
          <legend>Details</legend>
          <TextField
            label="Title"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            required
          />
          <TextArea
            label="Description"
            rows={3}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
          <fieldset className="checks">
            <legend>Categories</legend>
            {categories.data?.length === 0 && <p className="muted">No categories yet.</p>}
            {categories.data?.map((c) => (
              <label key={c.id}>
                <input
                  type="checkbox"
                  checked={categoryIds.includes(c.id)}
                  onChange={(e) =>
                    setCategoryIds(
                      e.target.checked
                        ? [...categoryIds, c.id]
                        : categoryIds.filter((x) => x !== c.id),
                    )
                  }
                />{' '}
                {c.name}
              </label>
            ))}
          </fieldset>
          {writable && (
            <div className="actions">
              <button type="submit" disabled={update.isPending}>
                Save
              </button>
              <button
                type="button"
                className="secondary"
                disabled={update.isPending}
                onClick={() => update.mutate({ status: publishing ? 'published' : 'draft' })}
              >
                {publishing ? 'Publish' : 'Unpublish'}
              </button>
            </div>
          )}
        </fieldset>
      </form>
      <ProductImages product={product} writable={writable} onConflict={reload} />
      <h2>Variants</h2>
      {product.variants.map((variant) => (
        <VariantEditor key={variant.id} product={product} variant={variant} onConflict={reload} />
      ))}
      {writable && <VariantAdd product={product} />}
    </Page>
  )
}
