import path from 'node:path'
import type { S3StorageSettings } from './s3-storage.js'

type Env = Record<string, string | undefined>
type Fail = (variable: string, problem: string) => Error

/** Where product images are stored and the URL they are served under. */
export interface MediaSettings {
  readonly storage:
    | { readonly driver: 'local'; readonly dir: string }
    | ({ readonly driver: 's3' } & Readonly<S3StorageSettings>)
  /** Image URLs are `<publicUrl>/<key>`: this API's `/media` route, or a CDN or bucket. */
  readonly publicUrl: string
}

function value(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim()
  return raw === undefined || raw === '' ? undefined : raw
}

function httpUrl(name: string, raw: string, fail: Fail): string {
  let parsed: URL
  try {
    parsed = new URL(raw)
  } catch {
    throw fail(name, 'must be an http(s) URL')
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw fail(name, 'must be an http(s) URL')
  return raw.replace(/\/+$/, '')
}

function s3Settings(env: Env, fail: Fail): S3StorageSettings {
  const bucket = value(env, 'MEDIA_S3_BUCKET')
  if (!bucket) throw fail('MEDIA_S3_BUCKET', 'must be set when MEDIA_STORAGE is s3')
  const endpointRaw = value(env, 'MEDIA_S3_ENDPOINT')
  const endpoint = endpointRaw ? httpUrl('MEDIA_S3_ENDPOINT', endpointRaw, fail) : undefined
  const accessKeyId = value(env, 'MEDIA_S3_ACCESS_KEY_ID')
  const secretAccessKey = value(env, 'MEDIA_S3_SECRET_ACCESS_KEY')
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw fail('MEDIA_S3_SECRET_ACCESS_KEY', 'and MEDIA_S3_ACCESS_KEY_ID must be set together')
  }
  const pathStyle = value(env, 'MEDIA_S3_FORCE_PATH_STYLE')?.toLowerCase()
  if (pathStyle !== undefined && !['true', 'false', '1', '0'].includes(pathStyle))
    throw fail('MEDIA_S3_FORCE_PATH_STYLE', 'must be true or false')
  const prefix = value(env, 'MEDIA_S3_PREFIX') ?? ''
  if (prefix && !/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*\/$/.test(prefix))
    throw fail('MEDIA_S3_PREFIX', 'must be path segments ending with "/", e.g. media/')
  return {
    bucket,
    region: value(env, 'MEDIA_S3_REGION') ?? 'us-east-1',
    endpoint,
    forcePathStyle:
      pathStyle === undefined ? endpoint !== undefined : ['true', '1'].includes(pathStyle),
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    prefix,
  }
}

/**
 * `MEDIA_STORAGE` (`local`, the default, or `s3`), `MEDIA_DIR` (default `<DATA_DIR>/media`, also
 * on PostgreSQL), `MEDIA_PUBLIC_URL` (default `<PUBLIC_URL>/media`) and the `MEDIA_S3_*` settings.
 */
export function readMediaSettings(
  env: Env,
  dataDir: string,
  apiPublicUrl: string,
  fail: Fail,
): MediaSettings {
  const driver = (value(env, 'MEDIA_STORAGE') ?? 'local').toLowerCase()
  if (driver !== 'local' && driver !== 's3') throw fail('MEDIA_STORAGE', 'must be local or s3')
  const publicRaw = value(env, 'MEDIA_PUBLIC_URL')
  const publicUrl = publicRaw
    ? httpUrl('MEDIA_PUBLIC_URL', publicRaw, fail)
    : `${apiPublicUrl}/media`
  if (driver === 's3') {
    return Object.freeze({
      storage: Object.freeze({ driver: 's3' as const, ...s3Settings(env, fail) }),
      publicUrl,
    })
  }
  const dir = path.resolve(value(env, 'MEDIA_DIR') ?? path.join(dataDir, 'media'))
  return Object.freeze({ storage: Object.freeze({ driver: 'local' as const, dir }), publicUrl })
}
