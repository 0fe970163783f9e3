import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api, must, type AdminProduct, type Schemas } from '../api/client'
import { CONFLICT_MESSAGE, ifMatch, isConflict } from '../lib/conflict'
import { ProblemAlert, TextField } from './ui'

type Image = Schemas['ProductImage']

interface Props {
  product: AdminProduct
  writable: boolean
  onConflict: () => void
}

/**
 * A product's images: thumbnails in their order, upload, alt text, move and delete. Every image
 * write bumps the product's version, so each sends If-Match and the product is read again after.
 */
export function ProductImages({ product, writable, onConflict }: Props) {
  const queryClient = useQueryClient()
  const done = () => queryClient.invalidateQueries({ queryKey: ['product', product.id] })
  const path = { id: product.id }
  const headers = ifMatch(product.version)

  const upload = useMutation({
    mutationFn: (form: FormData) =>
      must(
        api.POST('/v1/admin/products/{id}/images', {
          params: { path },
          headers,
          // The route takes multipart/form-data; openapi-fetch passes FormData through as is.
          body: form as never,
        }),
      ),
    onSuccess: done,
  })
  const change = useMutation({
    mutationFn: (args: { imageId: string; alt?: string; position?: number }) =>
      must(
        api.PATCH('/v1/admin/products/{id}/images/{imageId}', {
          params: { path: { id: product.id, imageId: args.imageId } },
          headers,
          body: { alt: args.alt, position: args.position },
        }),
      ),
    onSuccess: done,
  })
  const remove = useMutation({
    mutationFn: (imageId: string) =>
      must(
        api.DELETE('/v1/admin/products/{id}/images/{imageId}', {
          params: { path: { id: product.id, imageId } },
          headers,
        }),
      ),
    onSuccess: done,
  })
  const error = upload.error ?? change.error ?? remove.error
  const busy = upload.isPending || change.isPending || remove.isPending

  return (
    <section aria-labelledby="images-title">
      <h2 id="images-title">Images</h2>
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
      {product.images.length === 0 && <p className="muted">No images yet.</p>}
      <ol className="images">
        {product.images.map((image, index) => (
          <ImageItem
            key={image.id}
            image={image}
            index={index}
            last={index === product.images.length - 1}
            writable={writable && !busy}
            onChange={(patch) => change.mutate({ imageId: image.id, ...patch })}
            onDelete={() => remove.mutate(image.id)}
          />
        ))}
      </ol>
      {writable && <ImageUpload busy={busy} onUpload={(form) => upload.mutate(form)} />}
    </section>
  )
}

interface ItemProps {
  image: Image
  index: number
  last: boolean
  writable: boolean
  onChange: (patch: { alt?: string; position?: number }) => void
  onDelete: () => void
}

function ImageItem({ image, index, last, writable, onChange, onDelete }: ItemProps) {
  const [alt, setAlt] = useState(image.alt)
  const name = image.alt || `Image ${index + 1}`
  return (
    <li className="image-item">
      <a href={image.url} target="_blank" rel="noreferrer">
        <img src={image.thumbnails.small} alt={image.alt} width={100} loading="lazy" />
      </a>
      <form
        className="image-form"
        onSubmit={(e) => {
          e.preventDefault()
          onChange({ alt })
        }}
      >
        <span className="muted">
          {image.width} × {image.height}
        </span>
        <TextField
          label={`Alt text of image ${index + 1}`}
          value={alt}
          maxLength={500}
          disabled={!writable}
          onChange={(e) => setAlt(e.target.value)}
        />
        {writable && (
          <div className="actions">
            <button
              type="submit"
              className="secondary"
              disabled={alt === image.alt}
              aria-label={`Save alt text of ${name}`}
            >
              Save alt text
            </button>
            <button
              type="button"
              className="secondary"
              disabled={index === 0}
              aria-label={`Move ${name} up`}
              onClick={() => onChange({ position: index - 1 })}
            >
              ↑
            </button>
            <button
              type="button"
              className="secondary"
              disabled={last}
              aria-label={`Move ${name} down`}
              onClick={() => onChange({ position: index + 1 })}
            >
              ↓
            </button>
            <button type="button" className="danger" onClick={onDelete}>
              Delete {name}
            </button>
          </div>
        )}
      </form>
    </li>
  )
}

function ImageUpload(props: { busy: boolean; onUpload: (form: FormData) => void }) {
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const fields = new FormData(event.currentTarget)
    const file = fields.get('file')
    if (!(file instanceof File) || file.size === 0) return
    // alt goes first: the API reads fields sent before the file.
    const form = new FormData()
    form.append('alt', String(fields.get('alt') ?? ''))
    form.append('file', file)
    props.onUpload(form)
    event.currentTarget.reset()
  }
  return (
    <form className="form" onSubmit={submit}>
      <fieldset disabled={props.busy}>
        <legend>Add an image</legend>
        <TextField
          label="Image file"
          name="file"
          type="file"
          accept="image/jpeg,image/png,image/webp"
          hint="JPEG, PNG or WebP, at most 10 MB"
          required
        />
        <TextField label="Alt text" name="alt" maxLength={500} />
        <div className="actions">
          <button type="submit">{props.busy ? 'Uploading…' : 'Upload'}</button>
        </div>
      </fieldset>
    </form>
  )
}
