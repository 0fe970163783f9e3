import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api, must, type Schemas } from '../api/client'
import { PagedView, usePagedList } from '../components/PagedList'
import { Page, ProblemAlert, SelectField, StatusBadge, formatDate } from '../components/ui'
import { Link } from '../lib/router'

type Review = Schemas['AdminReview']
type Status = Review['status']

const FILTERS = [
  { value: 'pending', label: 'Pending' },
  { value: 'published', label: 'Published' },
  { value: 'rejected', label: 'Rejected' },
  { value: '', label: 'All' },
]

export function stars(rating: number): string {
  return '★'.repeat(rating) + '☆'.repeat(5 - rating)
}

/** Reviews to moderate, pending first by default; publish or reject each. */
export function Reviews() {
  const [status, setStatus] = useState<Status | ''>('pending')
  const list = usePagedList(['reviews', { status }], (cursor) =>
    must(
      api.GET('/v1/admin/reviews', {
        params: {
          query: { limit: 25, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) },
        },
      }),
    ),
  )
  return (
    <Page title="Reviews">
      <div className="filters">
        <SelectField
          label="Status"
          value={status}
          options={FILTERS}
          onChange={(e) => setStatus(e.target.value as Status | '')}
        />
      </div>
      <PagedView
        list={list}
        what="reviews"
        empty={`No reviews ${status ? `are ${status}` : 'yet'}.`}
      >
        {(reviews) => (
          <ul className="reviews">
            {reviews.map((r) => (
              <ReviewItem key={r.id} review={r} />
            ))}
          </ul>
        )}
      </PagedView>
    </Page>
  )
}

function ReviewItem({ review }: { review: Review }) {
  const queryClient = useQueryClient()
  const moderate = useMutation({
    mutationFn: (status: 'published' | 'rejected') =>
      must(
        api.PATCH('/v1/admin/reviews/{id}', {
          params: { path: { id: review.id } },
          body: { status },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['reviews'] }),
  })
  const heading = review.title ?? `${review.rating}-star review`
  return (
    <li className="card review" aria-label={heading}>
      <p>
        <span aria-label={`${review.rating} of 5 stars`}>{stars(review.rating)}</span>{' '}
        <strong>{review.title}</strong> <StatusBadge status={review.status} />
        {review.verifiedPurchase && <span className="badge">Verified purchase</span>}
      </p>
      {/* Plain text as written: React escapes it, and the CSS keeps its line breaks. */}
      <p className="review-body">{review.body}</p>
      <p className="muted">
        {formatDate(review.createdAt)} · <Link to={`/products/${review.productId}`}>product</Link> ·{' '}
        {review.helpfulCount} found it helpful
      </p>
      <ProblemAlert error={moderate.error} />
      <div className="actions">
        {review.status !== 'published' && (
          <button
            type="button"
            disabled={moderate.isPending}
            onClick={() => moderate.mutate('published')}
          >
            Publish
          </button>
        )}
        {review.status !== 'rejected' && (
          <button
            type="button"
            className="danger"
            disabled={moderate.isPending}
            onClick={() => moderate.mutate('rejected')}
          >
            Reject
          </button>
        )}
      </div>
    </li>
  )
}
