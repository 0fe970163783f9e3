import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import { lazySerializers } from '../../src/platform/http/lazy-serializers.js'

const route = (schema: unknown) => ({ method: 'GET', url: '/x', httpStatus: '200', schema })
const good = {
  type: 'object',
  properties: { id: { type: 'string' }, total: { type: 'integer' }, at: { type: 'string' } },
  required: ['id'],
}
// fast-json-stringify refuses a $ref it cannot resolve, when it compiles.
const broken = { type: 'object', properties: { x: { $ref: 'nowhere#/y' } } }

describe('lazy response serializers', () => {
  test('nothing compiles when a route is set up; the first reply compiles it', () => {
    const { factory } = lazySerializers()
    const serialize = factory({}, {})(route(broken))
    assert.throws(() => serialize({ x: 1 }), /nowhere/)
  })

  test('write what the eager compiler writes', () => {
    const { factory } = lazySerializers()
    const serialize = factory({}, {})(route(good))
    const doc = { id: 'a', total: 3, at: '2026-12-06', extra: 'dropped' }
    assert.equal(serialize(doc), SerializerSelector()({}, {})(route(good))(doc))
    assert.equal(serialize(doc), '{"id":"a","total":3,"at":"2026-12-06"}')
  })

  test('warm() compiles the rest and reports each schema that fails, then carries on', async () => {
    const { factory, warm } = lazySerializers()
    const compile = factory({}, {})
    compile(route(broken))
    const later = compile(route(good))
    const errors: unknown[] = []
    await warm((error) => errors.push(error))
    assert.equal(errors.length, 1)
    assert.match(String(errors[0]), /nowhere/)
    assert.equal(later({ id: 'b' }), '{"id":"b"}')
    await warm(() => assert.fail('nothing is left to compile'))
  })
})
