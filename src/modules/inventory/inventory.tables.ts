import type { Generated } from 'kysely'

export interface StockLevelTable {
  variant_id: string
  on_hand: number
  reserved: Generated<number>
  low_stock_threshold: Generated<number>
  version: Generated<number>
  updated_at: Generated<Date>
}

export type ReservationStatus = 'held' | 'committed' | 'released'

export interface ReservationTable {
  id: string
  reference: string
  variant_id: string
  quantity: number
  status: Generated<ReservationStatus>
  expires_at: Date
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

export interface InventoryTables {
  'inventory.stock_level': StockLevelTable
  'inventory.reservation': ReservationTable
}
