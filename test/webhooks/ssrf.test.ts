import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { checkWebhookUrl, isPrivateAddress } from '../../src/modules/webhooks/webhooks.ssrf.js'

// Literal addresses only: no DNS is needed and nothing is sent.
const refused = [
  // IPv6 special-purpose space outside or inside 2000::/3
  'http://[::127.0.0.1]/', // IPv4-compatible ::/96
  'http://[fec0::1]/', // site-local (deprecated)
  'http://[2002:7f00:1::]/', // 6to4 of 127.0.0.1
  'http://[64:ff9b:1::a9fe:a9fe]/', // local-use NAT64 of 169.254.169.254
  'http://[64:ff9b::a9fe:a9fe]/', // well-known NAT64 prefix
  'http://[100::1]/', // discard
  'http://[2001::1]/', // Teredo
  'http://[2001:2::1]/', // benchmarking (2001::/23)
  'http://[2001:db8::1]/', // documentation
  'http://[3fff::1]/', // documentation (RFC 9637)
  'http://[::ffff:127.0.0.1]/',
  'http://[::ffff:a9fe:a9fe]/', // mapped 169.254.169.254, hex form
  'http://[::]/',
  'http://[::1]/',
  'http://[fd00::1]/',
  'http://[fe80::1]/',
  'http://[ff02::1]/',
  // IPv4 special-purpose blocks
  'http://0.0.0.0/',
  'http://10.1.2.3/',
  'http://100.64.0.1/',
  'http://127.0.0.1/',
  'http://169.254.169.254/',
  'http://172.16.0.1/',
  'http://192.0.0.8/',
  'http://192.0.2.1/',
  'http://192.88.99.1/',
  'http://192.168.1.1/',
  'http://198.18.0.1/',
  'http://198.51.100.1/',
  'http://203.0.113.1/',
  'http://224.0.0.1/',
  'http://240.0.0.1/',
  'http://255.255.255.255/',
  // other spellings of loopback
  'http://2130706433/',
  'http://0x7f.1/',
  'http://017700000001/',
  'http://localhost/',
]
const allowed = [
  'https://[2606:4700::1111]/hooks',
  'https://[2a00:1450:4001:80b::200e]/hooks',
  'https://[::ffff:93.184.216.34]/hooks', // mapped public IPv4
  'https://93.184.216.34/hooks',
  'https://1.1.1.1/hooks',
]

describe('webhook URL check: only global unicast addresses', () => {
  for (const url of refused)
    test(`refuses ${url}`, async () => {
      const verdict = await checkWebhookUrl(url, false)
      assert.equal(verdict.ok, false, url)
    })

  for (const url of allowed)
    test(`accepts ${url}`, async () => {
      assert.deepEqual(await checkWebhookUrl(url, false), { ok: true })
    })

  test('the connect-time lookup uses the same judgement (DNS answers are bare addresses)', () => {
    for (const address of [
      '::7f00:1',
      'fec0::1',
      '2002:7f00:1::',
      '64:ff9b:1::a9fe:a9fe',
      '100::1',
    ])
      assert.equal(isPrivateAddress(address), true, address)
    for (const address of ['2606:4700::1111', '93.184.216.34'])
      assert.equal(isPrivateAddress(address), false, address)
    assert.equal(isPrivateAddress('not-an-address'), true)
  })

  test('WEBHOOK_ALLOW_PRIVATE_NETWORKS still allows private targets, never credentials', async () => {
    assert.deepEqual(await checkWebhookUrl('http://[::127.0.0.1]/', true), { ok: true })
    assert.deepEqual(await checkWebhookUrl('http://10.0.0.1/', true), { ok: true })
    assert.equal((await checkWebhookUrl('http://u:p@93.184.216.34/', true)).ok, false)
  })
})
