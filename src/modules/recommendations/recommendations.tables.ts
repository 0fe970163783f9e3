export interface ProductOrdersTable {
  product_id: string
  orders: number
}

export interface ProductPairTable {
  product_id: string
  other_id: string
  orders: number
}

export interface RecommendationsTables {
  'recommendations.product_orders': ProductOrdersTable
  'recommendations.product_pair': ProductPairTable
}
