import {
  context,
  defaultTextMapGetter,
  diag,
  DiagLogLevel,
  defaultTextMapSetter,
  isSpanContextValid,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapPropagator,
} from '@opentelemetry/api'
import type { Logger } from 'pino'
import { degraded } from './degraded.js'

/**
 * OpenTelemetry tracing, configured by the standard OTEL_* variables (docs/configuration.md).
 * The code uses the API only (`trace.getTracer`); the SDK and the OTLP/HTTP exporter are imported
 * by `startTracing` when an OTLP endpoint is set. Without them the API's tracer is a no-op, and
 * the hooks that would create spans are not even installed (`tracingEnabled`).
 */
export const tracer = trace.getTracer('emporium')

interface Provider {
  forceFlush(): Promise<void>
  shutdown(): Promise<void>
}

let provider: Provider | undefined
/** W3C `traceparent` in and out; set with the SDK. */
let propagator: TextMapPropagator | undefined

type Env = Record<string, string | undefined>

/** True when the OTEL_* variables ask for traces: an OTLP endpoint, not disabled. */
export function tracingRequested(env: Env = process.env): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false
  if (env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === 'none') return false
  return !!(
    env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim()
  )
}

/** Whether spans are being recorded in this process (the SDK is loaded). */
export function tracingEnabled(): boolean {
  return provider !== undefined
}

/**
 * Loads and registers the SDK when `tracingRequested`: spans go to the OTLP/HTTP (JSON) endpoint
 * through a batch processor (OTEL_BSP_*), sampled per OTEL_TRACES_SAMPLER, the active span kept
 * in an AsyncLocalStorage. Call it first in a process, before the database and the app exist.
 */
export async function startTracing(
  env: Env = process.env,
  logger?: Pick<Logger, 'warn'>,
): Promise<boolean> {
  if (provider || !tracingRequested(env)) return tracingEnabled()
  // The SDK reports a failed export (a collector down) through `diag`: a rate-limited warning.
  const dropped = (message: string) =>
    degraded('traceExport', logger, 'trace export failed: spans dropped', errorMessage(message))
  const ignore = () => undefined
  diag.setLogger(
    { error: dropped, warn: dropped, info: ignore, debug: ignore, verbose: ignore },
    DiagLogLevel.WARN,
  )
  const [sdk, { OTLPTraceExporter }, resources, { W3CTraceContextPropagator }, semconv] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/core'),
      import('@opentelemetry/semantic-conventions'),
    ])
  const resource = resources
    .defaultResource()
    .merge(resources.detectResources({ detectors: [resources.envDetector] }))
    .merge(
      resources.resourceFromAttributes({
        [semconv.ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME?.trim() || 'emporium',
      }),
    )
  const registered = new sdk.NodeTracerProvider({
    resource,
    spanProcessors: [new sdk.BatchSpanProcessor(new OTLPTraceExporter())],
  })
  propagator = new W3CTraceContextPropagator()
  registered.register({ propagator })
  provider = registered
  return true
}

/** The SDK hands its errors to `diag` as JSON (stack included): the message is enough. */
function errorMessage(reported: string): string {
  try {
    const parsed: unknown = JSON.parse(reported)
    const message = (parsed as { message?: unknown } | null)?.message
    return typeof message === 'string' ? message : reported
  } catch {
    return reported
  }
}

/** Exports the spans still buffered (a test, before it reads what the collector got). */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush()
}

/** Flushes and stops the SDK: the last step of a stopping process. */
export async function stopTracing(): Promise<void> {
  const stopping = provider
  provider = undefined
  await stopping?.shutdown().catch(() => undefined)
}

/** The context a `traceparent` header continues (the root context when absent or invalid). */
export function contextFrom(traceparent: string | string[] | undefined): Context {
  if (!propagator || !traceparent) return ROOT_CONTEXT
  return propagator.extract(ROOT_CONTEXT, { traceparent }, defaultTextMapGetter)
}

/** The active span's `traceparent`, to store or send with work done later or elsewhere. */
export function currentTraceparent(ctx: Context = context.active()): string | undefined {
  if (!propagator) return undefined
  const carrier: Record<string, string> = {}
  propagator.inject(ctx, carrier, defaultTextMapSetter)
  return carrier.traceparent
}

/** The active span, when one is recording in this async flow. */
export function activeSpan(): Span | undefined {
  const span = trace.getActiveSpan()
  return span && isSpanContextValid(span.spanContext()) ? span : undefined
}

/** `trace_id` and `span_id` of the active span, for log lines (empty without one). */
export function traceFields(): { trace_id?: string; span_id?: string } {
  const span = provider && activeSpan()
  if (!span) return {}
  const { traceId, spanId } = span.spanContext()
  return { trace_id: traceId, span_id: spanId }
}

export interface SpanOptions {
  kind?: SpanKind
  /** A stored `traceparent` to continue instead of the active span (an event, a job). */
  parent?: string
  /** Only within a trace: without an active span (or `parent`), `fn` runs without one. */
  childOnly?: boolean
}

/**
 * Runs `fn` inside a span named `name`: the span is the active one for `fn`, ends when `fn`
 * settles and records its error. Without tracing, `fn` runs as it is.
 */
export async function withSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span | undefined) => Promise<T>,
  options: SpanOptions = {},
): Promise<T> {
  if (!provider) return fn(undefined)
  const parent = options.parent ? contextFrom(options.parent) : context.active()
  if (options.childOnly && !trace.getSpan(parent)) return fn(undefined)
  const span = tracer.startSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes },
    parent,
  )
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span))
  } catch (error) {
    failed(span, error)
    throw error
  } finally {
    span.end()
  }
}

/** Marks `span` failed with `error`. */
export function failed(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error))
  span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message })
}

/** Runs `fn` outside any trace (a poller woken from a request must not join its trace). */
export function detached<T>(fn: () => T): T {
  return provider ? context.with(ROOT_CONTEXT, fn) : fn()
}

export { SpanKind, SpanStatusCode }
