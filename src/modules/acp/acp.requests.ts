/**
 * The request bodies the service reads, typed after the vendored JSON Schema has accepted them
 * (`specViolation`): only the members the store acts on are named here.
 */

export interface AcpAddress {
  name: string
  line_one: string
  line_two?: string
  city: string
  state: string
  country: string
  postal_code: string
}

export interface AcpFulfillmentDetails {
  name?: string
  phone_number?: string
  email?: string
  address?: AcpAddress
}

export interface AcpBuyer extends Record<string, unknown> {
  email: string
}

export interface AcpItem {
  id: string
}

export interface CreateSessionRequest {
  line_items: AcpItem[]
  currency: string
  buyer?: AcpBuyer
  fulfillment_details?: AcpFulfillmentDetails
}

export interface SelectedFulfillmentOption {
  type: string
  option_id: string
  item_ids: string[]
}

export interface UpdateSessionRequest {
  line_items?: AcpItem[]
  buyer?: AcpBuyer
  fulfillment_details?: AcpFulfillmentDetails
  selected_fulfillment_options?: SelectedFulfillmentOption[]
}

export interface CompleteSessionRequest {
  buyer?: AcpBuyer
  payment_data: {
    handler_id?: string
    instrument?: { type: string; credential: { type: string; token: string } }
    purchase_order_number?: string
  }
}
