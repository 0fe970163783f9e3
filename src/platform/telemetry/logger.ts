import pino, { type Logger, type LoggerOptions } from 'pino'
import pinoPretty from 'pino-pretty'
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

/** `json`: one object a line (production, files, collectors); `pretty`: short coloured lines. */
export type LogFormat = 'json' | 'pretty'

export const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty']

/**
 * The format of this process's lines: `LOG_FORMAT` when set, else pretty on a terminal outside
 * production and JSON everywhere else (a pipe, a file, a container's log collector).
 */
export function chooseLogFormat(options: {
  setting: LogFormat | undefined
  isTTY: boolean
  isProduction: boolean
}): LogFormat {
  if (options.setting) return options.setting
  return options.isTTY && !options.isProduction ? 'pretty' : 'json'
}

/**
 * pino-pretty as a stream in this thread writing synchronously to stdout (no worker-thread
 * transport to start, to flush at exit, or to outlive a cluster child). Short lines: time, level,
 * message, then the line's own fields; pid, hostname and service are left out.
 */
export function prettyStream(
  options: { colorize?: boolean; destination?: NodeJS.WritableStream } = {},
): pino.DestinationStream {
  return pinoPretty({
    sync: true,
    colorize: options.colorize ?? false,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,service',
    ...(options.destination ? { destination: options.destination } : {}),
  })
}

export function createLogger(
  level: LogLevel,
  destination?: pino.DestinationStream,
  format: LogFormat = 'json',
): Logger {
  if (format === 'pretty') {
    const colorize = destination === undefined && process.stdout.isTTY === true
    const stream = prettyStream({
      colorize,
      ...(destination ? { destination: destination as NodeJS.WritableStream } : {}),
    })
    return pino(loggerOptions(level), stream)
  }
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level))
}
