import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { principalOf } from '../../platform/http/access.js'
import { problems } from '../../platform/http/schemas.js'
import type { RoutePlugin } from '../../platform/module.js'
import {
  AddressList,
  AddressParams,
  AddressSchema,
  CreateAddressBody,
  UpdateAddressBody,
} from './customers.schema.js'
import type { CustomersService } from './customers.service.js'

const TAGS = ['account']
const SECURITY = [{ bearer: [] }]

/** The signed-in customer's address book; every call is scoped by the token's subject. */
export function customersRoutes(service: CustomersService): RoutePlugin {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const auth = { access: 'authenticated' as const }

    app.get(
      '/v1/me/addresses',
      {
        config: auth,
        schema: {
          tags: TAGS,
          summary: 'List my addresses (at most 50, oldest first; one page)',
          security: SECURITY,
          response: { 200: AddressList, ...problems(401) },
        },
      },
      async (request) => ({
        data: await service.listAddresses(principalOf(request).subject),
        page: { nextCursor: null, hasMore: false },
      }),
    )

    app.post(
      '/v1/me/addresses',
      {
        config: auth,
        schema: {
          tags: TAGS,
          summary: 'Add an address; the first one, or one sent with isDefault, becomes the default',
          security: SECURITY,
          body: CreateAddressBody,
          response: { 201: AddressSchema, ...problems(401, 409) },
        },
      },
      async (request, reply) => {
        const address = await service.createAddress(principalOf(request).subject, request.body)
        return reply.code(201).send(address)
      },
    )

    app.get(
      '/v1/me/addresses/:id',
      {
        config: auth,
        schema: {
          tags: TAGS,
          summary: 'One of my addresses',
          security: SECURITY,
          params: AddressParams,
          response: { 200: AddressSchema, ...problems(401, 404) },
        },
      },
      async (request) => service.getAddress(principalOf(request).subject, request.params.id),
    )

    app.patch(
      '/v1/me/addresses/:id',
      {
        config: auth,
        schema: {
          tags: TAGS,
          summary: 'Change an address; null clears an optional field',
          security: SECURITY,
          params: AddressParams,
          body: UpdateAddressBody,
          response: { 200: AddressSchema, ...problems(401, 404) },
        },
      },
      async (request) =>
        service.updateAddress(principalOf(request).subject, request.params.id, request.body),
    )

    app.delete(
      '/v1/me/addresses/:id',
      {
        config: auth,
        schema: {
          tags: TAGS,
          summary: 'Delete an address; if it was the default, the newest other one takes over',
          security: SECURITY,
          params: AddressParams,
          response: { 204: Type.Null(), ...problems(401, 404) },
        },
      },
      async (request, reply) => {
        await service.deleteAddress(principalOf(request).subject, request.params.id)
        return reply.code(204).send(null)
      },
    )
  }
}
