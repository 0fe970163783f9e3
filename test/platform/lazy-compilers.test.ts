import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { AjvCompiler } from '@fastify/ajv-compiler'
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import { lazyCompilers } from '../../src/platform/http/lazy-compilers.js'

const reply = (schema: unknown) => ({ method: 'GET', url: '/x', httpStatus: '200', schema })
const body = (schema: unknown) => ({ method: 'POST', url: '/x', httpPart: 'body', schema })
const ajvOptions = { customOptions: { coerceTypes: 'array' as const, useDefaults: true } }
const good = {
  type: 'object',
  properties: { id: { type: 'string' }, total: { type: 'integer' } },
  required: ['id'],
}
// Both compilers refuse a $ref they cannot resolve, when they compile.
const broken = { type: 'object', properties: { x: { $ref: 'nowhere#/y' } } }

describe('lazy route compilers', () => {
  test('nothing compiles when a route is set up; the first use compiles it', () => {
    const { buildSerializer, buildValidator } = lazyCompilers()
    const serialize = buildSerializer({}, {})(reply(broken))
    const validate = buildValidator({}, ajvOptions)(body(broken) as never)
    assert.throws(() => serialize({ x: 1 }), /nowhere/)
    assert.throws(() => validate({ x: 1 }), /nowhere/)
  })

  test('serializers write what the eager compiler writes', () => {
    const serialize = lazyCompilers().buildSerializer({}, {})(reply(good))
    const doc = { id: 'a', total: 3, extra: 'dropped' }
    assert.equal(serialize(doc), SerializerSelector()({}, {})(reply(good))(doc))
    assert.equal(serialize(doc), '{"id":"a","total":3}')
  })

  test('validators answer and leave their errors where Fastify reads them, as ajv does', () => {
    const validate = lazyCompilers().buildValidator({}, ajvOptions)(body(good) as never)
    const eager = AjvCompiler()({}, ajvOptions)(body(good) as never)
    const ok = { id: 'a', total: '3' }
    assert.equal(validate(ok), true)
    assert.equal(ok.total, 3 as unknown as string, 'coerced like the eager one')
    assert.equal(validate({ total: 1 }), false)
    assert.equal(eager({ total: 1 }), false)
    assert.deepEqual(validate.errors, eager.errors)
    assert.match(JSON.stringify(validate.errors), /required/)
  })

  test('warm() compiles the rest and reports each schema that fails, then carries on', async () => {
    const { buildSerializer, buildValidator, warm } = lazyCompilers()
    buildSerializer({}, {})(reply(broken))
    buildValidator({}, ajvOptions)(body(broken) as never)
    const later = buildSerializer({}, {})(reply(good))
    const errors: unknown[] = []
    await warm((error: unknown) => errors.push(error))
    assert.equal(errors.length, 2)
    assert.ok(errors.every((e) => /nowhere/.test(String(e))))
    assert.equal(later({ id: 'b' }), '{"id":"b"}')
    await warm(() => assert.fail('nothing is left to compile'))
  })
})
