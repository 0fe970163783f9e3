import { Type, type Static } from '@sinclair/typebox'
import { PageInfoSchema } from '../../platform/http/schemas.js'

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) =>
  Type.Union([schema, Type.Null()])

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' })
const Country = Type.String({
  pattern: '^[A-Za-z]{2}$',
  description: 'ISO 3166-1 alpha-2 code; stored upper-cased',
})
const Phone = Type.String({
  pattern: '^\\+?[0-9][0-9 ()./-]{2,29}$',
  description: 'E.164 preferred',
})

export const AddressSchema = Type.Object(
  {
    id: Type.String({ description: 'adr_ prefixed id' }),
    name: Type.String(),
    line1: Type.String(),
    line2: Nullable(Type.String()),
    city: Type.String(),
    region: Nullable(Type.String()),
    postalCode: Type.String(),
    country: Type.String({ description: 'ISO 3166-1 alpha-2' }),
    phone: Nullable(Type.String()),
    isDefault: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
)
export type Address = Static<typeof AddressSchema>

export const CreateAddressBody = Type.Object(
  {
    name: Text(200),
    line1: Text(200),
    line2: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    city: Text(100),
    region: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    postalCode: Text(20),
    country: Country,
    phone: Type.Optional(Nullable(Phone)),
    isDefault: Type.Optional(Type.Boolean({ description: 'The first address is the default' })),
  },
  { additionalProperties: false },
)
export type CreateAddressInput = Static<typeof CreateAddressBody>

/** Only the fields given change; `null` clears an optional one. */
export const UpdateAddressBody = Type.Object(
  {
    name: Type.Optional(Text(200)),
    line1: Type.Optional(Text(200)),
    line2: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    city: Type.Optional(Text(100)),
    region: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    postalCode: Type.Optional(Text(20)),
    country: Type.Optional(Country),
    phone: Type.Optional(Nullable(Phone)),
    isDefault: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateAddressInput = Static<typeof UpdateAddressBody>

export const AddressParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })

export const AddressList = Type.Object({ data: Type.Array(AddressSchema), page: PageInfoSchema })
