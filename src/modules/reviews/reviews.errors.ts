import { AppError, CommonErrors, type FieldError } from '../../platform/errors.js'

/** The reviews module's coded errors; codes are part of the public API. */
export const ReviewErrors = {
  notFound: (id: string) =>
    new AppError({
      kind: 'not_found',
      code: 'review_not_found',
      title: 'Review not found',
      detail: `No review ${id}.`,
    }),
  productNotFound: (id: string) =>
    new AppError({
      kind: 'not_found',
      code: 'product_not_found',
      title: 'Product not found',
      detail: `No published product ${id}.`,
    }),
  exists: (productId: string) =>
    new AppError({
      kind: 'conflict',
      code: 'review_exists',
      title: 'Review exists',
      detail: `You have already reviewed product ${productId}.`,
    }),
  invalid: (errors: FieldError[]) => CommonErrors.validation(errors, 'Invalid review.'),
}
