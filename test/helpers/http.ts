import type { FastifyInstance, LightMyRequestResponse } from 'fastify'

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
type Headers = Record<string, string>

/** Requests over `app.inject`, signed in with one token (or anonymous without one). */
export interface Client {
  request(
    method: Method,
    url: string,
    payload?: object,
    headers?: Headers,
  ): Promise<LightMyRequestResponse>
  get(url: string, headers?: Headers): Promise<LightMyRequestResponse>
  delete(url: string, headers?: Headers): Promise<LightMyRequestResponse>
  post(url: string, payload?: object, headers?: Headers): Promise<LightMyRequestResponse>
  put(url: string, payload?: object, headers?: Headers): Promise<LightMyRequestResponse>
  patch(url: string, payload?: object, headers?: Headers): Promise<LightMyRequestResponse>
}

export function bearer(token: string): Headers {
  return { authorization: `Bearer ${token}` }
}

export function client(app: FastifyInstance, token?: string): Client {
  const request: Client['request'] = (method, url, payload, headers = {}) =>
    app.inject({
      method,
      url,
      headers: { ...(token ? bearer(token) : {}), ...headers },
      ...(payload ? { payload: payload as Record<string, unknown> } : {}),
    })
  return {
    request,
    get: (url, headers) => request('GET', url, undefined, headers),
    delete: (url, headers) => request('DELETE', url, undefined, headers),
    post: (url, payload, headers) => request('POST', url, payload, headers),
    put: (url, payload, headers) => request('PUT', url, payload, headers),
    patch: (url, payload, headers) => request('PATCH', url, payload, headers),
  }
}
