import multipart from '@fastify/multipart'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { isAppError } from '../../../platform/errors.js'
import { expectedVersion } from '../../../platform/http/conditional.js'
import { problems } from '../../../platform/http/schemas.js'
import { IdParams } from '../catalog.schema.js'
import { MediaErrors } from './media.errors.js'
import { AdminProductImageSchema, ImageParams, ImagePatch } from './media.schema.js'
import type { MediaService } from './media.service.js'

/** The largest upload, enforced while the file streams in (the rest is never buffered). */
export const MAX_UPLOAD_BYTES = 10 * 1_048_576
const MAX_ALT = 500

const write = { access: { permission: 'catalog:write' } }
const base = { tags: ['catalog admin'], security: [{ bearer: [] }] }
const AdminProductImage = Type.Ref(AdminProductImageSchema)

/** The `file` part (at most 10 MB) and an `alt` field sent before it, if any. */
async function readUpload(request: FastifyRequest): Promise<{ bytes: Buffer; alt: string }> {
  if (!request.isMultipart()) throw MediaErrors.notMultipart()
  try {
    const part = await request.file()
    if (!part || part.fieldname !== 'file') throw MediaErrors.fileMissing()
    const bytes = await part.toBuffer()
    const alt = part.fields.alt
    const value = alt && !Array.isArray(alt) && alt.type === 'field' ? alt.value : ''
    return { bytes, alt: typeof value === 'string' ? value.slice(0, MAX_ALT) : '' }
  } catch (error) {
    if (isAppError(error)) throw error
    const code = (error as { code?: string }).code
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw MediaErrors.fileTooLarge(MAX_UPLOAD_BYTES)
    throw error
  }
}

/** Staff routes for a product's images: upload, alt text and order, removal. */
export function mediaAdminRoutes(images: MediaService) {
  return async (fastify: FastifyInstance) => {
    await fastify.register(multipart, {
      limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 4, fieldSize: 2000, parts: 5 },
    })
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.addHook('onSend', async (_request, reply) => {
      reply.header('cache-control', 'no-store')
    })

    app.post(
      '/v1/admin/products/:id/images',
      {
        config: write,
        schema: {
          ...base,
          summary: 'Upload an image (multipart field "file": JPEG, PNG or WebP, at most 10 MB)',
          description:
            'An optional `alt` field may precede the file. The image is re-encoded without metadata and gets two WebP thumbnails; it goes last in the product’s order. If-Match (the product’s ETag) is supported; the product’s version moves.',
          consumes: ['multipart/form-data'],
          params: IdParams,
          response: { 201: AdminProductImage, ...problems(401, 403, 404, 412, 413, 415) },
        },
      },
      async (request, reply) => {
        const { bytes, alt } = await readUpload(request)
        const image = await images.upload(
          request.params.id,
          bytes,
          alt,
          expectedVersion(request.headers['if-match']),
        )
        return reply
          .code(201)
          .header('location', `/v1/admin/products/${request.params.id}/images/${image.id}`)
          .send(image)
      },
    )

    app.patch(
      '/v1/admin/products/:id/images/:imageId',
      {
        config: write,
        schema: {
          ...base,
          summary: 'Change an image’s alt text or position (If-Match supported)',
          params: ImageParams,
          body: ImagePatch,
          response: { 200: AdminProductImage, ...problems(401, 403, 404, 412) },
        },
      },
      async (request) =>
        images.update(
          request.params.id,
          request.params.imageId,
          request.body,
          expectedVersion(request.headers['if-match']),
        ),
    )

    app.delete(
      '/v1/admin/products/:id/images/:imageId',
      {
        config: write,
        schema: {
          ...base,
          summary: 'Remove an image and its files (If-Match supported)',
          params: ImageParams,
          response: { 204: Type.Null(), ...problems(401, 403, 404, 412) },
        },
      },
      async (request, reply) => {
        await images.remove(
          request.params.id,
          request.params.imageId,
          expectedVersion(request.headers['if-match']),
        )
        return reply.code(204).send(null)
      },
    )
  }
}
