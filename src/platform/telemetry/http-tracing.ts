import { context, trace, type Context, type Span } from '@opentelemetry/api'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { contextFrom, SpanKind, SpanStatusCode, tracer } from './tracing.js'

interface RequestSpan {
  span: Span
  ctx: Context
}

const spans = new WeakMap<FastifyRequest, RequestSpan>()

/**
 * A server span per request, continuing an incoming `traceparent`: `${method} ${route}`, ended in
 * onResponse. Register before any other hook. Fastify runs the hooks after `onRequest` in the
 * async flow its `done` is called from, but the body is parsed on the socket's events, which lose
 * it: the span's context is entered again in preValidation (before the handler) and in onResponse
 * (so the request's log line carries its ids).
 */
export function registerHttpTracing(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url
    const parent = contextFrom(request.headers.traceparent)
    const span = tracer.startSpan(
      `${request.method} ${route ?? 'unmatched'}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'url.path': request.url.split('?', 1)[0],
          ...(route ? { 'http.route': route } : {}),
        },
      },
      parent,
    )
    const ctx = trace.setSpan(parent, span)
    spans.set(request, { span, ctx })
    context.with(ctx, done)
  })
  app.addHook('preValidation', (request, _reply, done) => {
    const entry = spans.get(request)
    if (entry) context.with(entry.ctx, done)
    else done()
  })
  app.addHook('onResponse', (request, reply, done) => {
    const entry = spans.get(request)
    if (!entry) return done()
    entry.span.setAttribute('http.response.status_code', reply.statusCode)
    if (reply.statusCode >= 500) entry.span.setStatus({ code: SpanStatusCode.ERROR })
    entry.span.end()
    context.with(entry.ctx, done)
  })
  app.addHook('onRequestAbort', (request, done) => {
    spans.get(request)?.span.end()
    done()
  })
}
