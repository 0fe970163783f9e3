import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { describe, test } from 'node:test'
import { ConfigError, loadConfig } from '../../src/config.js'
import { chooseLogFormat, createLogger } from '../../src/platform/telemetry/logger.js'
import { eventually } from './support.js'

/** A stream that keeps what is written to it, as pino's destination. */
function capture() {
  let text = ''
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString()
      done()
    },
  })
  return { stream, text: () => text }
}

describe('log format selection', () => {
  test('a terminal outside production gets pretty lines; a pipe or production gets JSON', () => {
    const choose = (isTTY: boolean, isProduction: boolean) =>
      chooseLogFormat({ setting: undefined, isTTY, isProduction })
    assert.equal(choose(true, false), 'pretty')
    assert.equal(choose(false, false), 'json')
    assert.equal(choose(true, true), 'json')
    assert.equal(choose(false, true), 'json')
  })

  test('LOG_FORMAT overrides the choice either way', () => {
    for (const isTTY of [true, false]) {
      for (const isProduction of [true, false]) {
        assert.equal(chooseLogFormat({ setting: 'json', isTTY, isProduction }), 'json')
        assert.equal(chooseLogFormat({ setting: 'pretty', isTTY, isProduction }), 'pretty')
      }
    }
  })

  test('LOG_FORMAT is json or pretty (any case); anything else stops the start', () => {
    assert.equal(loadConfig({}).logFormat, undefined)
    assert.equal(loadConfig({ LOG_FORMAT: 'JSON' }).logFormat, 'json')
    assert.equal(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat, 'pretty')
    assert.throws(
      () => loadConfig({ LOG_FORMAT: 'xml' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /LOG_FORMAT must be one of json, pretty/.test(error.message),
    )
  })
})

describe('pretty lines', () => {
  test('time, level and message on one short line, without JSON, pid, hostname or service', async () => {
    const out = capture()
    const logger = createLogger('info', out.stream, 'pretty')
    logger.info('Emporium is ready')
    const text = await eventually(() => out.text() || undefined, { what: 'a pretty line' })
    const line = text.split('\n')[0]!
    assert.match(line, /^\[\d{2}:\d{2}:\d{2}\] INFO: Emporium is ready$/)
    assert.doesNotMatch(text, /[{}]/)
    assert.doesNotMatch(text, /emporium"|service|hostname|pid/)
  })

  test('secrets are redacted in pretty mode too', async () => {
    const out = capture()
    const logger = createLogger('info', out.stream, 'pretty')
    logger.info({ password: 'hunter2-hunter2', user: { token: 'tok_secret' } }, 'signed in')
    const text = await eventually(() => (/token/.test(out.text()) ? out.text() : undefined), {
      what: 'the fields of the line',
    })
    assert.match(text, /INFO: signed in/)
    assert.doesNotMatch(text, /hunter2|tok_secret/)
    assert.equal(text.match(/\[redacted\]/g)?.length, 2)
  })

  test('JSON stays the default format of createLogger', async () => {
    const out = capture()
    createLogger('info', out.stream).info({ password: 'hunter2-hunter2' }, 'hello')
    const line = JSON.parse(await eventually(() => out.text() || undefined)) as Record<
      string,
      unknown
    >
    assert.equal(line.msg, 'hello')
    assert.equal(line.password, '[redacted]')
    assert.equal(line.service, 'emporium')
  })
})
