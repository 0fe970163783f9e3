import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { after, test } from 'node:test'
import pino from 'pino'
import { startTracing, stopTracing, tracer } from '../../src/platform/telemetry/tracing.js'

// Its own file (its own process): the SDK registers globally once per process.
after(() => stopTracing())

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

test('a collector that does not answer: spans are dropped with one warning, the process goes on', async () => {
  const lines: Record<string, unknown>[] = []
  const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) })
  // The exporter and the batch processor read the environment when they are built.
  process.env.OTEL_BSP_SCHEDULE_DELAY = '20'
  // The exporter retries a refused connection until its timeout: keep that short.
  process.env.OTEL_EXPORTER_OTLP_TIMEOUT = '1000'
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${await closedPort()}`
  assert.equal(await startTracing(process.env, logger), true)
  for (let batch = 0; batch < 3; batch++) {
    tracer.startActiveSpan(`work ${batch}`, (span) => span.end())
    await sleep(300)
  }
  for (let i = 0; i < 100 && lines.length === 0; i++) await sleep(100)
  assert.equal(lines.length, 1, 'one warning for three failed exports, not one each')
  assert.equal(lines[0]!.degradation, 'traceExport')
  assert.equal(lines[0]!.msg, 'trace export failed: spans dropped')
  assert.match(String(lines[0]!.reason), /ECONNREFUSED/)
  assert.doesNotMatch(String(lines[0]!.reason), /\n\s+at /, 'no stack trace in the log')
})
