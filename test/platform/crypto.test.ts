import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import {
  createSecretBox,
  randomToken,
  secretKeyFromBase64,
  sha256,
  tokenMatches,
} from '../../src/platform/crypto.js'

const newKey = (id: string) => ({ id, key: randomBytes(32).toString('base64') })

// Values written by the two secret boxes this one replaced (MFA and webhooks), under this key.
const LEGACY_KEY = Buffer.alloc(32, 7).toString('base64')
const LEGACY_MFA_V1 = 'v1.fjEGLm8mVn7P7Vzs.vTEhvGFu6aaPJ00ekqFDfw.D_97U9jEhSHCwxZvhIgZ1w'
const LEGACY_WEBHOOK_V1 =
  'v1.r8GN6SgCY-uXX3iy.OcqqgvO53zdtXyROQ1SUjm4HPsc2NC9OxYpfAs90.VQMzsoDdVHGnlUuMJbaLLg'

describe('secret box', () => {
  test('a sealed secret opens to itself and names the key that sealed it', () => {
    const box = createSecretBox({ keys: [newKey('k1')], label: 'test' })
    const sealed = box.seal('usr_1', 'JBSWY3DPEHPK3PXP')
    assert.match(sealed, /^v2\.k1\.[\w-]+\.[\w-]+\.[\w-]+$/)
    assert.ok(!sealed.includes('JBSWY3DPEHPK3PXP'))
    assert.equal(box.open('usr_1', sealed), 'JBSWY3DPEHPK3PXP')
  })

  test('after a rotation the new key seals and values sealed with the old key still open', () => {
    const [oldKey, currentKey] = [newKey('old'), newKey('new')]
    const before = createSecretBox({ keys: [oldKey], label: 'test' })
    const sealedBefore = before.seal('whe_1', 'whsec_first')
    const after = createSecretBox({ keys: [currentKey, oldKey], label: 'test' })
    const sealedAfter = after.seal('whe_1', 'whsec_second')
    assert.match(sealedAfter, /^v2\.new\./)
    assert.equal(after.open('whe_1', sealedBefore), 'whsec_first')
    assert.equal(after.open('whe_1', sealedAfter), 'whsec_second')
    assert.throws(() => before.open('whe_1', sealedAfter), /sealed with key new/)
  })

  test('a tampered value, another context or another box refuses to open', () => {
    const key = newKey('k1')
    const box = createSecretBox({ keys: [key], label: 'mfa' })
    const sealed = box.seal('usr_1', 'secret')
    const [v, id, iv, body, tag] = sealed.split('.') as [string, string, string, string, string]
    const flipped = Buffer.from(body, 'base64url')
    flipped[0] = flipped[0]! ^ 1
    assert.throws(() =>
      box.open('usr_1', [v, id, iv, flipped.toString('base64url'), tag].join('.')),
    )
    assert.throws(() => box.open('usr_2', sealed))
    const otherBox = createSecretBox({ keys: [key], label: 'webhooks' })
    assert.throws(() => otherBox.open('usr_1', sealed))
    assert.throws(() => box.open('usr_1', 'v3.whatever'), /unknown secret format/)
  })

  test('without a key values are stored plain, and everything after `plain.` is the secret', () => {
    const box = createSecretBox({ keys: [], label: 'test' })
    assert.equal(box.seal('whe_1', 'whsec_a.b'), 'plain.whsec_a.b')
    assert.equal(box.open('whe_1', 'plain.whsec_a.b'), 'whsec_a.b')
  })

  test('values stored by the former MFA and webhook boxes still open', () => {
    const box = createSecretBox({
      keys: [newKey('new'), secretKeyFromBase64(LEGACY_KEY)],
      label: 'mfa',
    })
    assert.equal(box.open('usr_1', LEGACY_MFA_V1), 'JBSWY3DPEHPK3PXP')
    assert.equal(box.open('whe_1', LEGACY_WEBHOOK_V1), 'whsec_c2VjcmV0LndpdGguZG90cw==')
    assert.equal(box.open('usr_1', 'plain.JBSWY3DPEHPK3PXP'), 'JBSWY3DPEHPK3PXP')
    assert.equal(box.open('whe_1', 'plain.whsec_a.b'), 'whsec_a.b')
    assert.throws(() => box.open('usr_2', LEGACY_MFA_V1), /does not open with any/)
    const keyless = createSecretBox({ keys: [], label: 'mfa' })
    assert.throws(() => keyless.open('usr_1', LEGACY_MFA_V1), /no key is set/)
  })

  test('a configured key gets a stable id, and a key of the wrong size is refused', () => {
    assert.deepEqual(secretKeyFromBase64(LEGACY_KEY), secretKeyFromBase64(LEGACY_KEY))
    assert.match(secretKeyFromBase64(LEGACY_KEY).id, /^[\w-]{8}$/)
    const short = { id: 'k1', key: randomBytes(16).toString('base64') }
    assert.throws(() => createSecretBox({ keys: [short], label: 'test' }), /not 32 bytes/)
  })
})

describe('tokens', () => {
  test('sha256 is the hex digest', () => {
    assert.equal(sha256('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })

  test('tokenMatches accepts the token whose hash is stored and nothing else', () => {
    const token = randomToken('ct_')
    const stored = sha256(token)
    assert.equal(tokenMatches(token, stored), true)
    assert.equal(tokenMatches(`${token}x`, stored), false)
    assert.equal(tokenMatches(undefined, stored), false)
    assert.equal(tokenMatches(token, null), false)
  })

  test('tokenMatches is false, not an error, when the stored hash has another length', () => {
    const token = randomToken()
    assert.equal(tokenMatches(token, sha256(token).slice(0, 32)), false)
    assert.equal(tokenMatches(token, `${sha256(token)}00`), false)
  })

  test('randomToken is the prefix and base64url of the given number of bytes', () => {
    assert.match(randomToken('ot_'), /^ot_[\w-]{43}$/)
    assert.match(randomToken('', 12), /^[\w-]{16}$/)
    assert.notEqual(randomToken(), randomToken())
  })
})
