import { AppError } from '../../../platform/errors.js'

export const MediaErrors = {
  unsupportedType: () =>
    new AppError({
      kind: 'unsupported_media_type',
      code: 'unsupported_media_type',
      title: 'Unsupported media type',
      detail: 'The file is not a JPEG, PNG or WebP image (checked by its content, not its name).',
      errors: [{ path: '/body/file', message: 'must be a JPEG, PNG or WebP image' }],
    }),
  undecodable: (format: string) =>
    new AppError({
      kind: 'unsupported_media_type',
      code: 'unsupported_media_type',
      title: 'Unsupported media type',
      detail: `The file starts like a ${format.toUpperCase()} image but could not be decoded: it is damaged or not an image.`,
      errors: [{ path: '/body/file', message: 'could not be decoded' }],
    }),
  tooManyPixels: (max: number) =>
    new AppError({
      kind: 'too_large',
      code: 'image_too_large',
      title: 'Image too large',
      detail: `The image has more than ${max / 1_000_000} megapixels.`,
      errors: [{ path: '/body/file', message: `must have at most ${max} pixels` }],
    }),
  fileTooLarge: (maxBytes: number) =>
    new AppError({
      kind: 'too_large',
      code: 'payload_too_large',
      title: 'Payload too large',
      detail: `The file is larger than ${maxBytes / 1_048_576} MB.`,
      errors: [{ path: '/body/file', message: `must be at most ${maxBytes} bytes` }],
    }),
  notMultipart: () =>
    new AppError({
      kind: 'unsupported_media_type',
      code: 'unsupported_media_type',
      title: 'Unsupported media type',
      detail: 'Send the image as multipart/form-data in a field named "file".',
    }),
  fileMissing: () =>
    new AppError({
      kind: 'validation',
      code: 'validation_failed',
      title: 'Invalid request',
      detail: 'Send the image as multipart/form-data in a field named "file".',
      errors: [{ path: '/body/file', message: 'is required' }],
    }),
  imageNotFound: (ref: string) =>
    new AppError({
      kind: 'not_found',
      code: 'image_not_found',
      title: 'Image not found',
      detail: `No image "${ref}" on this product.`,
    }),
}
