import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { expectedVersion, versionEtag } from '../../platform/http/conditional.js'
import { problems } from '../../platform/http/schemas.js'
import type { CatalogApi } from './catalog.api.js'
import {
  AdminProductListQuery,
  AdminProductPage,
  AdminProductSchema,
  CategoryInput,
  CategoryPatch,
  CategorySchema,
  IdParams,
  ProductBatchInput,
  ProductInput,
  ProductPatch,
  VariantInput,
  VariantParams,
  VariantPatch,
} from './catalog.schema.js'

const AdminProduct = Type.Ref(AdminProductSchema)
const Category = Type.Ref(CategorySchema)
const write = { access: { permission: 'catalog:write' } }
const readAccess = { access: { permission: 'catalog:read' } }
const base = { tags: ['catalog admin'], security: [{ bearer: [] }] }

export function adminRoutes(catalog: CatalogApi) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.addHook('onSend', async (_request, reply) => {
      reply.header('cache-control', 'no-store')
    })

    app.get(
      '/v1/admin/products',
      {
        config: readAccess,
        schema: {
          ...base,
          summary: 'List products, drafts included',
          querystring: AdminProductListQuery,
          response: { 200: AdminProductPage, ...problems(401, 403) },
        },
      },
      async (request) => catalog.adminListProducts(request.query),
    )

    app.post(
      '/v1/admin/products',
      {
        config: write,
        schema: {
          ...base,
          summary: 'Create a product with its variants and stock',
          body: ProductInput,
          response: { 201: AdminProduct, ...problems(401, 403, 409) },
        },
      },
      async (request, reply) => {
        const product = await catalog.createProduct(request.body)
        return reply
          .code(201)
          .header('etag', versionEtag(product.version))
          .header('location', `/v1/admin/products/${product.id}`)
          .send(product)
      },
    )

    app.post(
      '/v1/admin/products/batch',
      {
        config: write,
        schema: {
          ...base,
          summary: 'Create up to 100 products, all or nothing',
          body: ProductBatchInput,
          response: {
            201: Type.Object({ data: Type.Array(AdminProduct) }),
            ...problems(401, 403, 409),
          },
        },
      },
      async (request, reply) =>
        reply.code(201).send({ data: await catalog.createProducts(request.body.products) }),
    )

    app.get(
      '/v1/admin/products/:id',
      {
        config: readAccess,
        schema: {
          ...base,
          summary: 'Get a product with stock figures (ETag for If-Match)',
          params: IdParams,
          response: { 200: AdminProduct, ...problems(401, 403, 404) },
        },
      },
      async (request, reply) => {
        const product = await catalog.adminGetProduct(request.params.id)
        reply.header('etag', versionEtag(product.version))
        return product
      },
    )

    app.patch(
      '/v1/admin/products/:id',
      {
        config: write,
        schema: {
          ...base,
          summary: 'Update a product (If-Match supported)',
          params: IdParams,
          body: ProductPatch,
          response: { 200: AdminProduct, ...problems(401, 403, 404, 409, 412) },
        },
      },
      async (request, reply) => {
        const product = await catalog.updateProduct(
          request.params.id,
          request.body,
          expectedVersion(request.headers['if-match']),
        )
        reply.header('etag', versionEtag(product.version))
        return product
      },
    )

    app.delete(
      '/v1/admin/products/:id',
      {
        config: write,
        schema: {
          ...base,
          summary: 'Delete a product (soft: orders keep it)',
          params: IdParams,
          response: { 204: Type.Null(), ...problems(401, 403, 404, 412) },
        },
      },
      async (request, reply) => {
        await catalog.deleteProduct(request.params.id, expectedVersion(request.headers['if-match']))
        return reply.code(204).send(null)
      },
    )

    app.post(
      '/v1/admin/products/:id/variants',
      {
        config: write,
        schema: {
          ...base,
          summary: 'Add a variant',
          params: IdParams,
          body: VariantInput,
          response: { 201: AdminProduct, ...problems(401, 403, 404, 409, 412) },
        },
      },
      async (request, reply) => {
        const product = await catalog.addVariant(
          request.params.id,
          request.body,
          expectedVersion(request.headers['if-match']),
        )
        return reply.code(201).header('etag', versionEtag(product.version)).send(product)
      },
    )

    app.patch(
      '/v1/admin/products/:id/variants/:variantId',
      {
        config: write,
        schema: {
          ...base,
          summary: 'Update a variant (SKU, title, options, prices)',
          params: VariantParams,
          body: VariantPatch,
          response: { 200: AdminProduct, ...problems(401, 403, 404, 409, 412) },
        },
      },
      async (request, reply) => {
        const { id, variantId } = request.params
        const product = await catalog.updateVariant(
          id,
          variantId,
          request.body,
          expectedVersion(request.headers['if-match']),
        )
        reply.header('etag', versionEtag(product.version))
        return product
      },
    )

    app.delete(
      '/v1/admin/products/:id/variants/:variantId',
      {
        config: write,
        schema: {
          ...base,
          summary: 'Delete a variant (a product keeps at least one)',
          params: VariantParams,
          response: { 200: AdminProduct, ...problems(401, 403, 404, 409, 412) },
        },
      },
      async (request, reply) => {
        const { id, variantId } = request.params
        const product = await catalog.deleteVariant(
          id,
          variantId,
          expectedVersion(request.headers['if-match']),
        )
        reply.header('etag', versionEtag(product.version))
        return product
      },
    )

    app.post(
      '/v1/admin/categories',
      {
        config: write,
        schema: {
          ...base,
          summary: 'Create a category',
          body: CategoryInput,
          response: { 201: Category, ...problems(401, 403, 404, 409) },
        },
      },
      async (request, reply) => reply.code(201).send(await catalog.categories.create(request.body)),
    )

    app.patch(
      '/v1/admin/categories/:id',
      {
        config: write,
        schema: {
          ...base,
          summary: 'Update or move a category',
          params: IdParams,
          body: CategoryPatch,
          response: { 200: Category, ...problems(401, 403, 404, 409, 412) },
        },
      },
      async (request) =>
        catalog.categories.update(
          request.params.id,
          request.body,
          expectedVersion(request.headers['if-match']),
        ),
    )

    app.delete(
      '/v1/admin/categories/:id',
      {
        config: write,
        schema: {
          ...base,
          summary: 'Delete a category without subcategories',
          params: IdParams,
          response: { 204: Type.Null(), ...problems(401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        await catalog.categories.remove(request.params.id)
        return reply.code(204).send(null)
      },
    )
  }
}
