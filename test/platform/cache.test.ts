import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, test } from 'node:test'
import {
  createCache,
  createCacheFactory,
  type CacheOptions,
} from '../../src/platform/cache/cache.js'
import {
  createLocalGeneration,
  createRedisGeneration,
  type Generation,
} from '../../src/platform/cache/generation.js'
import { createRedis } from '../../src/platform/cache/redis.js'
import { uniqueSuffix } from '../helpers/context.js'

interface Entry {
  body: string
}

const OPTIONS: CacheOptions<Entry> = {
  ttlSeconds: 30,
  maxEntries: 100,
  maxBytes: 1_000_000,
  sizeOf: (e) => e.body.length,
}

const entry = (body: string): Entry => ({ body })

async function fill(cache: ReturnType<typeof createCache<Entry>>, key: string, body: string) {
  const generation = await cache.generation()
  assert.notEqual(generation, undefined)
  cache.set(key, entry(body), generation!)
  return generation!
}

describe('in-process cache', () => {
  test('stores and serves under the current generation; invalidate empties it', async () => {
    const cache = createCache(createLocalGeneration(), OPTIONS)
    const generation = await fill(cache, 'a', 'one')
    assert.deepEqual(cache.get('a', generation), entry('one'))
    await cache.invalidate()
    const next = await cache.generation()
    assert.notEqual(next, generation)
    assert.equal(cache.get('a', next!), undefined)
    assert.equal(cache.get('a', generation), undefined)
    assert.equal(cache.stats.entries, 0)
  })

  test('a read that began before an invalidation cannot store its result', async () => {
    const cache = createCache(createLocalGeneration(), OPTIONS)
    const before = await cache.generation()
    await cache.invalidate() // a write committed while the read was running
    cache.set('a', entry('stale'), before!)
    assert.equal(cache.get('a', (await cache.generation())!), undefined)
    assert.equal(cache.stats.entries, 0)
  })

  test('is bounded by entry count, least recently used out first', async () => {
    const cache = createCache(createLocalGeneration(), { ...OPTIONS, maxEntries: 2 })
    const g = await fill(cache, 'a', 'A')
    await fill(cache, 'b', 'B')
    cache.get('a', g) // a is now the most recently used
    await fill(cache, 'c', 'C')
    assert.equal(cache.get('b', g), undefined)
    assert.deepEqual(cache.get('a', g), entry('A'))
    assert.deepEqual(cache.get('c', g), entry('C'))
    assert.equal(cache.stats.entries, 2)
  })

  test('is bounded by total bytes, and refuses one entry larger than a quarter of them', async () => {
    const cache = createCache(createLocalGeneration(), { ...OPTIONS, maxBytes: 1000 })
    const g = await fill(cache, 'big', 'x'.repeat(300))
    assert.equal(cache.get('big', g), undefined)
    for (const key of ['a', 'b', 'c', 'd', 'e']) await fill(cache, key, 'y'.repeat(200))
    assert.ok(cache.stats.bytes <= 1000, `holds ${cache.stats.bytes} bytes`)
    assert.equal(cache.get('a', g), undefined)
    assert.deepEqual(cache.get('e', g), entry('y'.repeat(200)))
  })

  test('entries expire after the TTL', async () => {
    let now = 1_000
    const cache = createCache(createLocalGeneration(), {
      ...OPTIONS,
      ttlSeconds: 1,
      now: () => now,
    })
    const g = await fill(cache, 'a', 'A')
    now += 999
    assert.deepEqual(cache.get('a', g), entry('A'))
    now += 2
    assert.equal(cache.get('a', g), undefined)
  })

  test('a TTL of 0 turns it off: no generation, nothing stored', async () => {
    const cache = createCache(createLocalGeneration(), { ...OPTIONS, ttlSeconds: 0 })
    assert.equal(await cache.generation(), undefined)
    cache.set('a', entry('A'), 0)
    assert.equal(cache.get('a', 0), undefined)
    await cache.invalidate()
  })

  test('stale-if-error: an expired entry is kept for getStale, within its bound, until invalidated', async () => {
    let now = 1000
    const cache = createCache(createLocalGeneration(), {
      ...OPTIONS,
      ttlSeconds: 1,
      now: () => now,
    })
    const g = await fill(cache, 'a', 'A')
    now += 1500
    assert.equal(cache.get('a', g), undefined, 'expired for ordinary reads')
    assert.deepEqual(cache.getStale('a', g, 1000), entry('A'), 'half a second past its TTL')
    assert.equal(cache.getStale('a', g, 100), undefined, 'beyond the bound')
    assert.deepEqual(cache.getStale('a', g, 1000), entry('A'), 'a stale read does not drop it')
    await cache.invalidate()
    assert.equal(cache.getStale('a', (await cache.generation())!, 60_000), undefined)
  })
})

describe('shared generation', () => {
  const redisUrl = process.env.REDIS_URL

  /** Two caches as two processes would hold them: with Redis, two clients on one key. */
  async function twoCaches(): Promise<{
    caches: ReturnType<typeof createCache<Entry>>[]
    close: () => Promise<void>
  }> {
    if (!redisUrl) {
      const shared: Generation = createLocalGeneration()
      return {
        caches: [createCache(shared, OPTIONS), createCache(shared, OPTIONS)],
        close: async () => {},
      }
    }
    const key = `emporium:test:${uniqueSuffix()}:generation`
    const clients = [createRedis(redisUrl), createRedis(redisUrl)]
    return {
      caches: clients.map((c) =>
        createCache(createRedisGeneration(c, key, { refreshMs: 50 }), OPTIONS),
      ),
      close: async () => {
        await clients[0]!.del(key)
        await Promise.all(clients.map((c) => c.quit()))
      },
    }
  }

  test(`an invalidation in one cache reaches the other (${redisUrl ? 'Redis' : 'in-process'})`, async () => {
    const { caches, close } = await twoCaches()
    try {
      const [a, b] = caches as [
        ReturnType<typeof createCache<Entry>>,
        ReturnType<typeof createCache<Entry>>,
      ]
      const gb = await fill(b, 'k', 'old')
      assert.deepEqual(b.get('k', gb), entry('old'))
      await a.invalidate()
      const deadline = Date.now() + 2000
      let seen = await b.generation()
      while (seen === gb && Date.now() < deadline) {
        await sleep(10)
        seen = await b.generation()
      }
      assert.notEqual(seen, gb)
      assert.equal(b.get('k', seen!), undefined)
    } finally {
      await close()
    }
  })

  test('with Redis unreachable the generation is unknown (no caching) and invalidate rejects', async () => {
    const errors: unknown[] = []
    const redis = createRedis('redis://127.0.0.1:1')
    redis.on('error', () => {})
    const factory = createCacheFactory({
      redis,
      prefix: 'emporium:test',
      onError: (e) => errors.push(e),
    })
    const cache = factory<Entry>('down', OPTIONS)
    try {
      assert.equal(await cache.generation(), undefined)
      assert.equal(errors.length, 1)
      // Within the refresh interval the failure is remembered: no request waits on Redis.
      assert.equal(await cache.generation(), undefined)
      assert.equal(errors.length, 1)
      await assert.rejects(cache.invalidate())
    } finally {
      redis.disconnect()
    }
  })
})
