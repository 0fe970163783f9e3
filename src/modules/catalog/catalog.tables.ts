import type { ColumnType, Generated } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>

export interface CategoryTable {
  id: string
  slug: string
  name: string
  description: Generated<string>
  parent_id: string | null
  position: Generated<number>
  version: Generated<number>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface ProductTable {
  id: string
  slug: string
  title: string
  description: Generated<string>
  status: 'draft' | 'published'
  version: Generated<number>
  search: ColumnType<string, never, never>
  /** Projected from `product.rating_changed` (see applyRatingChanged); never bumps `version`. */
  rating_average: ColumnType<string | null, never, number | null>
  rating_count: Generated<number>
  rating_distribution: ColumnType<Record<string, number>, never, string>
  rating_version: Generated<number>
  created_at: Timestamp
  updated_at: Timestamp
  deleted_at: Date | null
}

export interface VariantTable {
  id: string
  product_id: string
  sku: string
  title: string
  options: ColumnType<Record<string, string>, string, string>
  position: Generated<number>
  in_stock: Generated<boolean>
  stock_version: Generated<number>
  created_at: Timestamp
  updated_at: Timestamp
  deleted_at: Date | null
}

export interface VariantPriceTable {
  variant_id: string
  currency: string
  amount: number
}

export interface ProductCategoryTable {
  product_id: string
  category_id: string
}

export interface ProductImageTable {
  id: string
  product_id: string
  position: number
  alt: Generated<string>
  width: number
  height: number
  content_hash: string
  original_key: string
  small_key: string
  medium_key: string
  created_at: Generated<Date>
  deleted_at: Date | null
}

export interface CatalogTables {
  'catalog.category': CategoryTable
  'catalog.product': ProductTable
  'catalog.variant': VariantTable
  'catalog.variant_price': VariantPriceTable
  'catalog.product_category': ProductCategoryTable
  'catalog.product_image': ProductImageTable
}
