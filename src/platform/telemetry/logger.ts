import pino, { type Logger, type LoggerOptions } from 'pino'
import { traceFields } from './tracing.js'

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

/**
 * Paths that may carry secrets, censored wherever they appear in a log line. Request bodies are
 * never logged; this list is the second line of defence.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-order-token"]',
  'req.headers["idempotency-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
  '*.secret',
  'password',
  'token',
]

export function loggerOptions(level: LogLevel): LoggerOptions {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: 'emporium' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // trace_id and span_id of the active span, when tracing is on (src/platform/telemetry/tracing.ts).
    mixin: traceFields,
  }
}

export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level))
}
