import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox'
import {
  CheckoutActionReply,
  CheckoutBody,
  CheckoutReply,
  type PlaceOrder,
} from '../../flows/index.js'
import {
  AddItemBody,
  CartParams,
  CartSchema,
  CartTokenHeaders,
  CreateCartBody,
  CreatedCartSchema,
  type CartsService,
} from '../../modules/carts/index.js'
import {
  CurrencyQuery,
  IdOrSlugParams,
  ProductListQuery,
  ProductPage,
  ProductSchema,
  type CatalogApi,
} from '../../modules/catalog/index.js'
import {
  OrderParams,
  OrderRef,
  OrderTokenHeaders,
  type OrdersService,
} from '../../modules/orders/index.js'

/** The services the tools call: the same doors the REST routes call. */
export interface McpDoors {
  catalog: Pick<CatalogApi, 'listProducts' | 'getProduct' | 'categories'>
  carts: Pick<CartsService, 'createCart' | 'getCart' | 'addItem'>
  orders: Pick<OrdersService, 'getForCaller'>
  placeOrder: Pick<PlaceOrder, 'checkout'>
}

/** Runs a money-moving call once per idempotency key and caller (REST's `Idempotency-Key`). */
export type Once = <T>(
  operation: {
    name: string
    key: string | undefined
    input: unknown
    secrets: string[]
    guestTokens: string[]
  },
  run: () => Promise<T>,
) => Promise<T>

/** Who calls a tool: the signed-in customer behind the request's bearer token, if any. */
export interface ToolCaller {
  customerId: string | null
  once: Once
}

export interface ToolDefinition<I extends TObject = TObject> {
  name: string
  title: string
  description: string
  /** Arguments: built from the REST route's own schemas, validated as REST validates them. */
  input: I
  output: TSchema
  /** Reads nothing but public or the caller's own data, changes nothing. */
  readOnly: boolean
  run(args: Static<I>, caller: ToolCaller): Promise<object>
}

const tool = <I extends TObject>(definition: ToolDefinition<I>) => definition as ToolDefinition

const object = <P extends Record<string, TSchema>>(properties: P) =>
  Type.Object(properties, { additionalProperties: false })

// The REST routes' own schemas, one property at a time: same bounds, patterns and defaults.
const cartId = CartParams.properties.id
const cartToken = Type.Optional(
  Type.String({
    ...CartTokenHeaders.properties['x-cart-token'],
    description: "A guest cart's token (create_cart returns it); omit for a customer's cart",
  }),
)
const list = ProductListQuery.properties
const shippingAddress = CheckoutBody.properties.shippingAddress
const paymentToken = CheckoutBody.properties.payment.properties.token

const SearchInput = object({
  query: Type.Optional(list.q, false),
  limit: list.limit,
  cursor: list.cursor,
  category: list.category,
  currency: list.currency,
})

const GetProductInput = object({
  idOrSlug: IdOrSlugParams.properties.idOrSlug,
  currency: CurrencyQuery.properties.currency,
})

const AddToCartInput = object({ cartId, cartToken, ...AddItemBody.properties })

const GetCartInput = object({ cartId, cartToken })

const CheckoutInput = object({
  cartId,
  cartToken,
  email: CheckoutBody.properties.email,
  shippingAddress,
  paymentToken,
  idempotencyKey: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      description:
        "Printable ASCII, new for each order (REST's Idempotency-Key): a retry with it gets " +
        'the first result, orderToken included, and never charges twice.',
    }),
  ),
})

const GetOrderInput = object({
  orderId: OrderParams.properties.id,
  orderToken: Type.Optional(
    Type.String({
      ...OrderTokenHeaders.properties['x-order-token'],
      description: "A guest order's token (checkout returns it); omit for a customer's order",
    }),
  ),
})

const CheckoutOutput = Type.Object({
  ...CheckoutReply.properties,
  nextAction: Type.Optional(CheckoutActionReply.properties.nextAction),
})

/** The storefront as MCP tools: each one is a REST route's service call, nothing more. */
export function storefrontTools(doors: McpDoors): ToolDefinition[] {
  const { catalog, carts, orders, placeOrder } = doors
  return [
    tool({
      name: 'search_products',
      title: 'Search products',
      description:
        'Full-text search over published products (English stemming, typo-tolerant), best ' +
        'match first. Each product lists its variants with their price and stock; a variant id ' +
        'is what add_to_cart takes. Pass page.nextCursor back as cursor for more.',
      input: SearchInput,
      output: ProductPage,
      readOnly: true,
      run: ({ query, ...rest }) => catalog.listProducts({ ...rest, q: query }),
    }),
    tool({
      name: 'get_product',
      title: 'Get a product',
      description: 'A published product by id or slug, with its variants priced in `currency`.',
      input: GetProductInput,
      output: Type.Ref(ProductSchema),
      readOnly: true,
      run: ({ idOrSlug, currency }) => catalog.getProduct(idOrSlug, currency),
    }),
    tool({
      name: 'create_cart',
      title: 'Create a cart',
      description:
        "Starts a cart: the signed-in customer's (token null), or a guest cart whose `token` " +
        'is shown only here and must be passed as cartToken to the other cart tools.',
      input: CreateCartBody,
      output: CreatedCartSchema,
      readOnly: false,
      run: ({ currency }, caller) => carts.createCart(caller.customerId, currency),
    }),
    tool({
      name: 'add_to_cart',
      title: 'Add to cart',
      description:
        'Adds a variant (adding one already in the cart adds to its quantity) and answers with ' +
        'the cart and its totals. Stock is held only at checkout.',
      input: AddToCartInput,
      output: CartSchema,
      readOnly: false,
      run: ({ cartId, cartToken, ...item }, caller) =>
        carts.addItem({ customerId: caller.customerId, token: cartToken }, cartId, item),
    }),
    tool({
      name: 'get_cart',
      title: 'Get a cart',
      description: 'A cart with its lines and totals, priced now.',
      input: GetCartInput,
      output: CartSchema,
      readOnly: true,
      run: ({ cartId, cartToken }, caller) =>
        carts.getCart({ customerId: caller.customerId, token: cartToken }, cartId),
    }),
    tool({
      name: 'checkout',
      title: 'Check out',
      description:
        'Places the order: reserves the stock, charges the card token and answers with the ' +
        'order and, for a guest, its orderToken (get_order needs it). A declined card is ' +
        'payment_declined; too little stock is out_of_stock. If the provider does not answer ' +
        'in time the order comes back pending_payment and is settled later. Send an ' +
        'idempotencyKey so that a retry after a lost reply gets the order instead of an error.',
      input: CheckoutInput,
      output: CheckoutOutput,
      readOnly: false,
      run: ({ cartId, cartToken, paymentToken, idempotencyKey, ...order }, caller) => {
        const input = { ...order, payment: { method: 'card' as const, token: paymentToken } }
        return caller.once(
          {
            name: 'checkout',
            key: idempotencyKey,
            input: { cartId, ...input },
            secrets: ['orderToken'],
            guestTokens: cartToken ? [cartToken] : [],
          },
          () =>
            placeOrder.checkout({ customerId: caller.customerId, token: cartToken }, cartId, input),
        )
      },
    }),
    tool({
      name: 'get_order',
      title: 'Get an order',
      description:
        "An order with its lines, totals, status and history: the signed-in customer's own, " +
        "or a guest's with the orderToken that checkout returned.",
      input: GetOrderInput,
      output: OrderRef,
      readOnly: true,
      run: ({ orderId, orderToken }, caller) =>
        orders.getForCaller({ customerId: caller.customerId, token: orderToken }, orderId),
    }),
  ]
}
