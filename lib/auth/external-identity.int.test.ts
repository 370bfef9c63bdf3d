import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SignJWT, UnsecuredJWT, exportJWK, generateKeyPair, type CryptoKey, type JWTPayload } from 'jose'
import { app, test, useTestApp } from '../../tests/support/test-app.ts'
import { createAppTestContext } from '../../tests/support/app-context.ts'
import { call, createSignedInUser } from '../../tests/support/accounts.ts'
import { authorize } from './guard.ts'
import { AppError } from '../errors.ts'

const issuer = 'https://idp.example.test'
const audience = 'noleij-web'

let server: Server
let jwksUrl: string
let jwksFetches = 0
let rsa: CryptoKey
let ec: CryptoKey
let stranger: CryptoKey

beforeAll(async () => {
  const rsaPair = await generateKeyPair('RS256', { extractable: true })
  const ecPair = await generateKeyPair('ES256', { extractable: true })
  rsa = rsaPair.privateKey
  ec = ecPair.privateKey
  stranger = (await generateKeyPair('RS256')).privateKey
  const keys = [
    { ...(await exportJWK(rsaPair.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
    { ...(await exportJWK(ecPair.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
  ]
  server = createServer((request, response) => {
    jwksFetches += 1
    response.writeHead(request.url === '/.well-known/jwks.json' ? 200 : 404, { 'content-type': 'application/json' })
    response.end(JSON.stringify({ keys }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`
})
afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
})
useTestApp(() => ({ env: { AUTH_JWKS_URL: jwksUrl, AUTH_JWKS_ISSUER: issuer, AUTH_JWKS_AUDIENCE: audience } }))

function externalToken(key: CryptoKey, options: { alg?: string; kid?: string; claims?: JWTPayload; iss?: string; aud?: string; expiresAt?: number } = {}) {
  const now = Math.floor(test.clock.now().getTime() / 1000)
  const alg = options.alg ?? 'RS256'
  return new SignJWT({ ...options.claims })
    .setProtectedHeader({ alg, kid: options.kid ?? (alg === 'ES256' ? 'ec-1' : 'rsa-1') })
    .setSubject((options.claims?.sub as string | undefined) ?? 'subject-1')
    .setIssuer(options.iss ?? issuer)
    .setAudience(options.aud ?? audience)
    .setIssuedAt(now)
    .setExpirationTime(options.expiresAt ?? now + 300)
    .sign(key)
}

describe('external identity provider', () => {
  it('provisions an unknown RS256 subject as a learner once, with its verified email', async () => {
    const token = await externalToken(rsa, { claims: { sub: 'alice', email: 'Alice@Example.com', email_verified: true, name: 'Alice' } })
    const first = await call(app, 'GET', '/api/v1/me', { token })
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ email: 'alice@example.com', name: 'Alice', role: 'learner', email_verified: true })
    const second = await call(app, 'GET', '/api/v1/me', { token: await externalToken(rsa, { claims: { sub: 'alice' } }) })
    expect(second.body.id).toBe(first.body.id)
    const rows = await test.ctx.sql`select id from users where external_subject = 'alice' and external_issuer = ${issuer}`
    expect(rows).toHaveLength(1)
    const [entry] = await test.ctx.sql`select action from audit_log where target_user_id = ${first.body.id}`
    expect(entry).toEqual({ action: 'external_provision' })
    // The key set was fetched once and then served from jose's cache.
    expect(jwksFetches).toBe(1)
  })

  it('accepts ES256 and keeps unverified emails out', async () => {
    const token = await externalToken(ec, { alg: 'ES256', claims: { sub: 'bob', email: 'bob@example.com', email_verified: false } })
    const me = await call(app, 'GET', '/api/v1/me', { token })
    expect(me.status).toBe(200)
    expect(me.body).toMatchObject({ email: null, role: 'learner' })
  })

  it('never links an external identity to a password account with the same email', async () => {
    const local = await createSignedInUser(test.ctx, { email: 'shared@example.com' })
    const token = await externalToken(rsa, { claims: { sub: 'mallory', email: 'shared@example.com', email_verified: true } })
    const me = await call(app, 'GET', '/api/v1/me', { token })
    expect(me.status).toBe(200)
    expect(me.body.id).not.toBe(local.user.id)
    expect(me.body.email).toBeNull()
  })

  it('takes the role from the database, not the token', async () => {
    const token = await externalToken(rsa, { claims: { sub: 'carol', role: 'admin' } })
    expect((await call(app, 'GET', '/api/v1/admin/users', { token })).status).toBe(403)
    await test.ctx.sql`update users set role = 'admin' where external_subject = 'carol'`
    expect((await call(app, 'GET', '/api/v1/admin/users', { token })).status).toBe(200)
  })

  it('refuses wrong issuer, audience, expired, unknown-key and alg-none tokens; our own tokens still work', async () => {
    const now = Math.floor(test.clock.now().getTime() / 1000)
    const cases: Record<string, [string, string]> = {
      'wrong issuer': [await externalToken(rsa, { iss: 'https://evil.example' }), 'invalid_token'],
      'wrong audience': [await externalToken(rsa, { aud: 'someone-else' }), 'invalid_token'],
      expired: [await externalToken(rsa, { expiresAt: now - 10 }), 'token_expired'],
      'key not in the set': [await externalToken(stranger, { kid: 'rsa-1' }), 'invalid_token'],
      'unknown kid': [await externalToken(stranger, { kid: 'rsa-2' }), 'invalid_token'],
      'alg none': [new UnsecuredJWT({}).setSubject('alice').setIssuer(issuer).setAudience(audience).setExpirationTime('5m').encode(), 'invalid_token'],
    }
    for (const [name, [token, code]] of Object.entries(cases)) {
      const response = await call(app, 'GET', '/api/v1/me', { token })
      expect(response.status, name).toBe(401)
      expect(response.body.error.code, name).toBe(code)
    }
    const own = await createSignedInUser(test.ctx)
    expect((await call(app, 'GET', '/api/v1/me', { token: own.accessToken })).status).toBe(200)
  })

  it('answers 503 when the key set cannot be fetched', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const { ctx } = createAppTestContext({ AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`, AUTH_JWKS_ISSUER: issuer, AUTH_JWKS_AUDIENCE: audience })
    const token = await externalToken(rsa)
    const request = new Request('http://local/api/v1/me', { headers: { authorization: `Bearer ${token}` } })
    const error = await authorize(ctx, request, 'learner').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).status).toBe(503)
  })
})
