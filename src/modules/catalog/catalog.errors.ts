import { AppError, type FieldError } from '../../platform/errors.js'

export const CatalogErrors = {
  productNotFound: (ref: string) =>
    new AppError({
      kind: 'not_found',
      code: 'product_not_found',
      title: 'Product not found',
      detail: `No product "${ref}".`,
    }),
  variantNotFound: (ref: string) =>
    new AppError({
      kind: 'not_found',
      code: 'variant_not_found',
      title: 'Variant not found',
      detail: `No variant "${ref}" on this product.`,
    }),
  categoryNotFound: (ref: string) =>
    new AppError({
      kind: 'not_found',
      code: 'category_not_found',
      title: 'Category not found',
      detail: `No category "${ref}".`,
    }),
  slugTaken: (slug: string, path = '/body/slug') =>
    new AppError({
      kind: 'conflict',
      code: 'slug_taken',
      title: 'Slug already in use',
      detail: `Another product already uses the slug "${slug}".`,
      errors: [{ path, message: 'is already in use' }],
    }),
  categorySlugTaken: (slug: string) =>
    new AppError({
      kind: 'conflict',
      code: 'slug_taken',
      title: 'Slug already in use',
      detail: `Another category already uses the slug "${slug}".`,
      errors: [{ path: '/body/slug', message: 'is already in use' }],
    }),
  skuTaken: (errors: FieldError[]) =>
    new AppError({
      kind: 'conflict',
      code: 'sku_taken',
      title: 'SKU already in use',
      detail: `These SKUs are already in use: ${errors.map((e) => e.message).join(', ')}.`,
      errors,
    }),
  unknownCategories: (errors: FieldError[]) =>
    new AppError({
      kind: 'validation',
      code: 'unknown_category',
      title: 'Unknown category',
      detail: 'Some category ids do not exist.',
      errors,
    }),
  unknownSort: (field: string) =>
    new AppError({
      kind: 'validation',
      code: 'unknown_sort_field',
      title: 'Unknown sort field',
      detail: `Cannot sort by "${field}".`,
      errors: [{ path: '/query/sort', message: `unknown field ${field}` }],
    }),
  invalidPriceRange: () =>
    new AppError({
      kind: 'validation',
      code: 'invalid_price_range',
      title: 'Invalid price range',
      detail: 'minPrice is greater than maxPrice.',
      errors: [{ path: '/query/minPrice', message: 'must not exceed maxPrice' }],
    }),
  duplicateCurrency: (path: string) =>
    new AppError({
      kind: 'validation',
      code: 'duplicate_currency',
      title: 'Duplicate currency',
      detail: 'A variant has one price per currency.',
      errors: [{ path, message: 'currency given twice' }],
    }),
  lastVariant: () =>
    new AppError({
      kind: 'conflict',
      code: 'last_variant',
      title: 'Last variant',
      detail: 'A product keeps at least one variant; delete the product instead.',
    }),
  categoryHasChildren: () =>
    new AppError({
      kind: 'conflict',
      code: 'category_has_children',
      title: 'Category has children',
      detail: 'Move or delete its subcategories first.',
    }),
  categoryCycle: () =>
    new AppError({
      kind: 'validation',
      code: 'category_cycle',
      title: 'Category cycle',
      detail: 'A category cannot be moved under itself or its descendants.',
      errors: [{ path: '/body/parentId', message: 'would create a cycle' }],
    }),
}
