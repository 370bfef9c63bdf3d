import { describe, expect, it } from 'vitest'
import { decodeJwt } from 'jose'
import { app, test, useTestApp } from '../../tests/support/test-app.ts'
import { call, createSignedInUser, deliverAccountMail, mailedToken, outbox } from '../../tests/support/accounts.ts'
import { ensureFirstAdmin } from './admin.ts'
import { personalDataSections } from './personal-data.ts'
import { deleteStaleAuthRows } from '../auth/cleanup.ts'
import { findUserByEmail } from '../db/users.ts'

let ipCounter = 0
/** A fresh client address per request group, so rate limits only bite where a test wants them. */
const nextIp = () => `203.0.113.${(ipCounter = (ipCounter % 250) + 1)}`

useTestApp({ env: { TRUST_PROXY: 'true' } })

const password = 'tangerine bicycle orchestra'

async function register(email: string, options: { name?: string; ip?: string; password?: string } = {}) {
  return call(app, 'POST', '/api/v1/auth/register', { body: { email, password: options.password ?? password, name: options.name }, ip: options.ip ?? nextIp() })
}

async function login(email: string, options: { password?: string; ip?: string; remember_me?: boolean } = {}) {
  return call(app, 'POST', '/api/v1/auth/login', { body: { email, password: options.password ?? password, remember_me: options.remember_me }, ip: options.ip ?? nextIp() })
}

async function auditActions(userId: string): Promise<string[]> {
  const rows = await test.ctx.sql<{ action: string }[]>`select action from audit_log where actor_id = ${userId} or target_user_id = ${userId} order by id`
  return rows.map((row) => row.action)
}

describe('register', () => {
  it('creates a learner with normalized email and returns tokens, then verifies the email by mail', async () => {
    const registered = await register('  Ada.Lovelace@Example.COM ', { name: 'Ada' })
    expect(registered.status).toBe(201)
    expect(registered.headers.get('cache-control')).toBe('no-store')
    const { user, access_token, refresh_token } = registered.body
    expect(user).toMatchObject({ email: 'ada.lovelace@example.com', name: 'Ada', role: 'learner', timezone: 'UTC', locale: 'en', email_verified: false })
    expect(user).not.toHaveProperty('password_hash')
    expect(refresh_token).toMatch(/^[\w-]{43,}$/)
    const claims = decodeJwt(access_token)
    expect(claims).toMatchObject({ sub: user.id, role: 'learner', iss: 'noleij', aud: 'noleij-api' })
    expect(claims.sid).toEqual(expect.any(String))
    expect(claims.jti).toEqual(expect.any(String))
    expect(claims.exp! - claims.iat!).toBe(15 * 60)

    const me = await call(app, 'GET', '/api/v1/auth/me', { token: access_token })
    expect(me.status).toBe(200)
    expect(me.body.id).toBe(user.id)
    expect((await call(app, 'GET', '/api/v1/me', { token: access_token })).body).toEqual(me.body)

    expect(await deliverAccountMail(test.ctx)).toBeGreaterThanOrEqual(1)
    const token = await mailedToken(test.ctx, 'ada.lovelace@example.com', /confirm your email/i)
    const mail = (await outbox(test.ctx)).at(-1)!
    expect(mail.text).toContain(`${test.config.publicBaseUrl}/verify-email#token=${token}`)
    expect(test.logs.some((line) => line.message === 'mail written to the outbox (SMTP_URL is not set)')).toBe(true)

    expect((await call(app, 'POST', '/api/v1/auth/verify-email/confirm', { body: { token } })).status).toBe(204)
    expect((await call(app, 'GET', '/api/v1/me', { token: access_token })).body.email_verified).toBe(true)
    const again = await call(app, 'POST', '/api/v1/auth/verify-email/confirm', { body: { token } })
    expect(again.status).toBe(400)
    expect(again.body.error.code).toBe('invalid_link')
    expect(await auditActions(user.id)).toEqual(['register', 'email_verified'])

    const resend = await call(app, 'POST', '/api/v1/auth/verify-email/request', { token: access_token, ip: nextIp() })
    expect(resend.status).toBe(202)
    expect(resend.body.message).toMatch(/already confirmed/)
  })

  it('refuses a taken email in any spelling, weak passwords and invalid emails with coded 4xx', async () => {
    expect((await register('grace@example.com')).status).toBe(201)
    const taken = await register(' GRACE@example.com')
    expect(taken.status).toBe(409)
    expect(taken.body.error.code).toBe('email_taken')

    const short = await register('short@example.com', { password: 'seven77' })
    expect(short.status).toBe(422)
    expect(short.body.error).toMatchObject({ code: 'weak_password', details: { reason: 'too_short' } })
    const common = await register('common@example.com', { password: 'Password123' })
    expect(common.body.error).toMatchObject({ code: 'weak_password', details: { reason: 'common' } })
    const long = await register('long@example.com', { password: 'x'.repeat(129) })
    expect(long.body.error).toMatchObject({ code: 'weak_password', details: { reason: 'too_long' } })

    const invalid = await register('not an email')
    expect(invalid.status).toBe(422)
    expect(invalid.body.error.code).toBe('validation_failed')
    expect(invalid.body.error.details[0]).toMatchObject({ in: 'body', path: 'email' })
  })

  it('never writes passwords or tokens to the log', async () => {
    const secret = 'unmistakable secret phrase 42'
    const registered = await register('quiet@example.com', { password: secret })
    expect(registered.status).toBe(201)
    await login('quiet@example.com', { password: 'wrong but also secret' })
    await deliverAccountMail(test.ctx)
    const logText = JSON.stringify(test.logs)
    for (const value of [secret, 'wrong but also secret', registered.body.refresh_token, registered.body.access_token]) {
      expect(logText).not.toContain(value)
    }
    expect(logText).not.toMatch(/#token=/)
  })
})

describe('login, refresh and logout', () => {
  it('signs in with the same response shape and answers unknown emails like wrong passwords', async () => {
    const email = 'lin@example.com'
    const registered = await register(email)
    const ok = await login(' LIN@example.com')
    expect(ok.status).toBe(200)
    expect(Object.keys(ok.body).sort()).toEqual(Object.keys(registered.body).sort())
    expect(ok.body.user.id).toBe(registered.body.user.id)

    const wrong = await login(email, { password: 'not the password at all' })
    const unknown = await login('nobody-here@example.com', { password: 'not the password at all' })
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    const strip = (body: { error: Record<string, unknown> }) => ({ ...body.error, requestId: undefined })
    expect(strip(unknown.body as never)).toEqual(strip(wrong.body as never))
    expect(wrong.body.error.code).toBe('invalid_credentials')
    expect(await auditActions(registered.body.user.id)).toEqual(['register', 'login_ok', 'login_failed'])
  })

  it('gives remember_me sessions 30 days and others 24 hours, recording IP and user agent', async () => {
    const email = 'remember@example.com'
    await register(email)
    const short = await login(email, { ip: '192.0.2.10' })
    const long = await call(app, 'POST', '/api/v1/auth/login', { body: { email, password, remember_me: true }, ip: '192.0.2.11', headers: { 'user-agent': 'Mozilla/5.0 (Noleij test)' } })
    const sessions = await call(app, 'GET', '/api/v1/me/sessions', { token: long.body.access_token })
    expect(sessions.status).toBe(200)
    const now = test.clock.now().getTime()
    const byIp = Object.fromEntries(sessions.body.items.map((item: { ip: string }) => [item.ip, item]))
    expect(new Date(byIp['192.0.2.10'].expires_at).getTime() - now).toBe(24 * 3600 * 1000)
    expect(new Date(byIp['192.0.2.11'].expires_at).getTime() - now).toBe(30 * 24 * 3600 * 1000)
    expect(byIp['192.0.2.11']).toMatchObject({ current: true, remember_me: true, user_agent: 'Mozilla/5.0 (Noleij test)' })
    expect(byIp['192.0.2.10']).toMatchObject({ current: false, remember_me: false })
    expect(short.status).toBe(200)
  })

  it('rotates the refresh token on every use; replaying a rotated one revokes the whole family', async () => {
    const email = 'rotate@example.com'
    const first = (await register(email)).body
    const second = await call(app, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: first.refresh_token }, ip: nextIp() })
    expect(second.status).toBe(200)
    expect(second.headers.get('cache-control')).toBe('no-store')
    expect(second.body.refresh_token).not.toBe(first.refresh_token)
    expect(decodeJwt(second.body.access_token).sid).toBe(decodeJwt(first.access_token).sid)
    const third = await call(app, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: second.body.refresh_token } })
    expect(third.status).toBe(200)

    // The first token again: someone holds a copy. Everything of this family stops working.
    const replay = await call(app, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: first.refresh_token } })
    expect(replay.status).toBe(401)
    expect(replay.body.error.code).toBe('invalid_token')
    expect((await call(app, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: third.body.refresh_token } })).status).toBe(401)
    expect((await call(app, 'GET', '/api/v1/me', { token: third.body.access_token })).status).toBe(401)
    expect(await auditActions(first.user.id)).toContain('refresh_reuse')
    const [session] = await test.ctx.sql<{ revoked_reason: string }[]>`select revoked_reason from sessions where user_id = ${first.user.id}`
    expect(session!.revoked_reason).toBe('refresh_reuse')

    // Another device of the same user is a different family and keeps working.
    const other = await login(email)
    expect((await call(app, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: other.body.refresh_token } })).status).toBe(200)
  })

  it('takes a token just rotated out once more (a reload lost the answer), but not after 30 s', async () => {
    const reloaded = (await register('retry@example.com')).body
    const refresh = (token: string) => call(app, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: token } })
    // The server rotated, but the page was reloaded before it stored the answer: it sends the old token.
    const lost = await refresh(reloaded.refresh_token)
    expect(lost.status).toBe(200)
    test.clock.advance(2000)
    const retried = await refresh(reloaded.refresh_token)
    expect(retried.status).toBe(200)
    expect(retried.body.refresh_token).not.toBe(lost.body.refresh_token)
    expect(decodeJwt(retried.body.access_token).sid).toBe(decodeJwt(reloaded.access_token).sid)
    expect((await call(app, 'GET', '/api/v1/me', { token: retried.body.access_token })).status).toBe(200)
    expect(await auditActions(reloaded.user.id)).not.toContain('refresh_reuse')
    // The session goes on from the retried answer.
    const next = await refresh(retried.body.refresh_token)
    expect(next.status).toBe(200)

    // Presented again after the window, a rotated token is a copy: the family ends.
    const late = (await register('late-retry@example.com')).body
    expect((await refresh(late.refresh_token)).status).toBe(200)
    test.clock.advance(31_000)
    expect((await refresh(late.refresh_token)).status).toBe(401)
    expect(await auditActions(late.user.id)).toContain('refresh_reuse')
  })

  it('refuses unknown and expired refresh tokens', async () => {
    expect((await call(app, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: 'x'.repeat(43) } })).status).toBe(401)
    const email = 'expire@example.com'
    const session = (await register(email)).body
    test.clock.advance(24 * 3600 * 1000 + 1000)
    const expired = await call(app, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: session.refresh_token } })
    expect(expired.status).toBe(401)
  })

  it('logs out one session (idempotently) and, with logout-all, every session', async () => {
    const email = 'logout@example.com'
    const a = (await register(email)).body
    const b = (await login(email)).body
    const c = (await login(email)).body

    expect((await call(app, 'POST', '/api/v1/auth/logout', { body: { refresh_token: a.refresh_token } })).status).toBe(204)
    expect((await call(app, 'POST', '/api/v1/auth/logout', { body: { refresh_token: a.refresh_token } })).status).toBe(204)
    expect((await call(app, 'POST', '/api/v1/auth/logout', { body: { refresh_token: 'unknown' } })).status).toBe(204)
    expect((await call(app, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: a.refresh_token } })).status).toBe(401)
    expect((await call(app, 'GET', '/api/v1/me', { token: a.access_token })).status).toBe(401)
    expect((await call(app, 'GET', '/api/v1/me', { token: b.access_token })).status).toBe(200)

    expect((await call(app, 'POST', '/api/v1/auth/logout-all', { token: b.access_token })).status).toBe(204)
    for (const session of [b, c]) {
      expect((await call(app, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: session.refresh_token } })).status).toBe(401)
      expect((await call(app, 'GET', '/api/v1/me', { token: session.access_token })).status).toBe(401)
    }
    expect(await auditActions(a.user.id)).toContain('logout_all')
  })

  it('lists sessions and ends one by id, only the caller’s own', async () => {
    const email = 'sessions@example.com'
    const a = (await register(email)).body
    const b = (await login(email)).body
    const list = await call(app, 'GET', '/api/v1/me/sessions', { token: a.access_token })
    expect(list.body.items).toHaveLength(2)
    const other = list.body.items.find((item: { current: boolean }) => !item.current)
    expect(other.id).toBe(decodeJwt(b.access_token).sid)

    const stranger = await createSignedInUser(test.ctx)
    expect((await call(app, 'DELETE', `/api/v1/me/sessions/${other.id}`, { token: stranger.accessToken })).status).toBe(404)
    expect((await call(app, 'DELETE', `/api/v1/me/sessions/${other.id}`, { token: a.access_token })).status).toBe(204)
    expect((await call(app, 'DELETE', `/api/v1/me/sessions/${other.id}`, { token: a.access_token })).status).toBe(404)
    expect((await call(app, 'DELETE', '/api/v1/me/sessions/not-a-uuid', { token: a.access_token })).status).toBe(422)
    expect((await call(app, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: b.refresh_token } })).status).toBe(401)
    expect((await call(app, 'GET', '/api/v1/me/sessions', { token: a.access_token })).body.items).toHaveLength(1)
  })
})

describe('lockout', () => {
  it('locks an account for 30 minutes after 5 consecutive failures, then lets the right password in', async () => {
    const email = 'locked@example.com'
    const user = (await register(email)).body.user
    const ip = nextIp()
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      expect((await login(email, { password: 'wrong password here', ip })).status).toBe(401)
    }
    const fifth = await login(email, { password: 'wrong password here', ip })
    expect(fifth.status).toBe(423)
    const unlock = new Date(test.clock.now().getTime() + 30 * 60 * 1000).toISOString()
    expect(fifth.body.error).toMatchObject({ code: 'account_locked', details: { locked_until: unlock } })
    const whileLocked = await login(email, { ip })
    expect(whileLocked.status).toBe(423)
    expect(whileLocked.body.error.details.locked_until).toBe(unlock)

    test.clock.advance(30 * 60 * 1000 - 1000)
    expect((await login(email, { ip: nextIp() })).status).toBe(423)
    test.clock.advance(1000)
    expect((await login(email, { ip: nextIp() })).status).toBe(200)
    const actions = await auditActions(user.id)
    expect(actions.filter((action) => action === 'login_failed')).toHaveLength(5)
    expect(actions).toContain('lockout')
  })

  it('resets the count on success, so only consecutive failures lock', async () => {
    const email = 'consecutive@example.com'
    await register(email)
    for (let round = 0; round < 2; round += 1) {
      for (let attempt = 0; attempt < 4; attempt += 1) expect((await login(email, { password: 'nope nope nope' })).status).toBe(401)
      expect((await login(email)).status).toBe(200)
    }
  })

  it('answers unknown emails identically: 401 four times, then 423 with an unlock time', async () => {
    const email = 'ghost@example.com'
    const ip = nextIp()
    const statuses = []
    for (let attempt = 0; attempt < 6; attempt += 1) statuses.push((await login(email, { password: 'whatever it is', ip })).status)
    expect(statuses).toEqual([401, 401, 401, 401, 423, 423])
    const locked = await login(email, { ip })
    expect(locked.body.error.details.locked_until).toBe(new Date(test.clock.now().getTime() + 30 * 60 * 1000).toISOString())
    expect(await findUserByEmail(test.ctx.sql, email)).toBeUndefined()
  })
})

describe('rate limits', () => {
  it('limits login to 10 per minute per IP and email, with Retry-After', async () => {
    const email = 'ratelimited@example.com'
    await register(email)
    const ip = nextIp()
    for (let attempt = 0; attempt < 10; attempt += 1) expect((await login(email, { ip })).status).toBe(200)
    const limited = await login(email, { ip })
    expect(limited.status).toBe(429)
    expect(limited.body.error.code).toBe('rate_limited')
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect((await login(email, { ip: nextIp() })).status).toBe(200)
    test.clock.advance(61 * 1000)
    expect((await login(email, { ip })).status).toBe(200)
  })

  it('limits sign-up to 5 per minute per IP', async () => {
    const ip = nextIp()
    for (let index = 0; index < 5; index += 1) expect((await register(`signup-${index}@example.com`, { ip })).status).toBe(201)
    const limited = await register('signup-5@example.com', { ip })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/)
    test.clock.advance(61 * 1000)
    expect((await register('signup-5@example.com', { ip })).status).toBe(201)
  })

  it('limits every signed-in caller to 60 calls per minute', async () => {
    const { accessToken } = await createSignedInUser(test.ctx)
    for (let index = 0; index < 60; index += 1) expect((await call(app, 'GET', '/api/v1/me', { token: accessToken })).status).toBe(200)
    const limited = await call(app, 'GET', '/api/v1/me', { token: accessToken })
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
  })
})

describe('password reset', () => {
  it('answers known and unknown emails alike, mails a single-use link, sets the password and ends sessions', async () => {
    const email = 'reset@example.com'
    const session = (await register(email)).body
    await deliverAccountMail(test.ctx)
    const known = await call(app, 'POST', '/api/v1/auth/password-reset/request', { body: { email: 'Reset@Example.com' }, ip: nextIp() })
    const unknown = await call(app, 'POST', '/api/v1/auth/password-reset/request', { body: { email: 'no-reset@example.com' }, ip: nextIp() })
    expect(known.status).toBe(202)
    expect(unknown.status).toBe(202)
    expect(unknown.body).toEqual(known.body)
    await deliverAccountMail(test.ctx)
    const mails = await outbox(test.ctx)
    expect(mails.some((mail) => mail.to === 'no-reset@example.com')).toBe(false)
    const token = await mailedToken(test.ctx, email, /reset your noleij password/i)
    expect(mails.at(-1)!.text).toContain(`/reset-password#token=${token}`)

    const weak = await call(app, 'POST', '/api/v1/auth/password-reset/confirm', { body: { token, password: 'password' } })
    expect(weak.status).toBe(422)
    const newPassword = 'a completely new passphrase'
    expect((await call(app, 'POST', '/api/v1/auth/password-reset/confirm', { body: { token, password: newPassword }, ip: nextIp() })).status).toBe(204)
    const reused = await call(app, 'POST', '/api/v1/auth/password-reset/confirm', { body: { token, password: 'yet another passphrase' } })
    expect(reused.status).toBe(400)
    expect(reused.body.error.code).toBe('invalid_link')

    expect((await login(email)).status).toBe(401)
    expect((await login(email, { password: newPassword })).status).toBe(200)
    expect((await call(app, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: session.refresh_token } })).status).toBe(401)
    expect((await call(app, 'GET', '/api/v1/me', { token: session.access_token })).status).toBe(401)
    expect(await auditActions(session.user.id)).toEqual(expect.arrayContaining(['password_reset_request', 'password_reset']))
  })

  it('expires links after an hour, and only the newest link works', async () => {
    const email = 'reset-expiry@example.com'
    await register(email)
    const request = () => call(app, 'POST', '/api/v1/auth/password-reset/request', { body: { email }, ip: nextIp() })
    await request()
    await deliverAccountMail(test.ctx)
    const first = await mailedToken(test.ctx, email, /reset/i)
    await request()
    await deliverAccountMail(test.ctx)
    const second = await mailedToken(test.ctx, email, /reset/i)
    expect(second).not.toBe(first)
    expect((await call(app, 'POST', '/api/v1/auth/password-reset/confirm', { body: { token: first, password: 'first new passphrase' } })).status).toBe(400)
    test.clock.advance(3600 * 1000 + 1000)
    expect((await call(app, 'POST', '/api/v1/auth/password-reset/confirm', { body: { token: second, password: 'second new passphrase' } })).status).toBe(400)
  })

  it('limits reset requests per IP (429) and mails per address (silently)', async () => {
    const email = 'reset-flood@example.com'
    await register(email)
    const ip = nextIp()
    for (let index = 0; index < 5; index += 1) {
      expect((await call(app, 'POST', '/api/v1/auth/password-reset/request', { body: { email: `flood-${index}@example.com` }, ip })).status).toBe(202)
    }
    const limited = await call(app, 'POST', '/api/v1/auth/password-reset/request', { body: { email }, ip })
    expect(limited.status).toBe(429)

    const resets = async () => (await outbox(test.ctx)).filter((mail) => mail.to === email && /reset/i.test(mail.subject)).length
    const before = await resets()
    for (let index = 0; index < 7; index += 1) {
      expect((await call(app, 'POST', '/api/v1/auth/password-reset/request', { body: { email }, ip: nextIp() })).status).toBe(202)
      await deliverAccountMail(test.ctx)
    }
    expect((await resets()) - before).toBe(5)
  })

  it('lifts a lockout', async () => {
    const email = 'reset-lock@example.com'
    await register(email)
    for (let attempt = 0; attempt < 5; attempt += 1) await login(email, { password: 'definitely wrong' })
    expect((await login(email)).status).toBe(423)
    await call(app, 'POST', '/api/v1/auth/password-reset/request', { body: { email }, ip: nextIp() })
    await deliverAccountMail(test.ctx)
    const token = await mailedToken(test.ctx, email, /reset/i)
    expect((await call(app, 'POST', '/api/v1/auth/password-reset/confirm', { body: { token, password: 'unlocked passphrase' } })).status).toBe(204)
    expect((await login(email, { password: 'unlocked passphrase' })).status).toBe(200)
  })
})

describe('own account', () => {
  it('updates name, time zone and locale, and refuses other fields', async () => {
    const { accessToken } = await createSignedInUser(test.ctx)
    const updated = await call(app, 'PUT', '/api/v1/me', { token: accessToken, body: { name: '  Zoë 🦊 ', timezone: 'europe/berlin', locale: 'PT-br' } })
    expect(updated.status).toBe(200)
    expect(updated.body).toMatchObject({ name: '  Zoë 🦊 ', timezone: 'Europe/Berlin', locale: 'pt-BR' })
    expect((await call(app, 'GET', '/api/v1/me', { token: accessToken })).body).toEqual(updated.body)
    for (const body of [{ timezone: 'Mars/Olympus' }, { locale: 'not a locale!' }, { role: 'admin' }, { email: 'x@example.com' }, { name: 'tab\there' }]) {
      const refused = await call(app, 'PUT', '/api/v1/me', { token: accessToken, body })
      expect(refused.status).toBe(422)
    }
    expect((await call(app, 'GET', '/api/v1/me', { token: accessToken })).body.role).toBe('learner')
  })

  it('exports everything about the user, without secrets', async () => {
    const { user, accessToken, refreshToken } = await createSignedInUser(test.ctx, { name: 'Exporter' })
    const exported = await call(app, 'GET', '/api/v1/me/export', { token: accessToken })
    expect(exported.status).toBe(200)
    expect(exported.headers.get('content-disposition')).toContain('attachment')
    expect(exported.body).toMatchObject({ format: 'noleij-export/1', user_id: user.id, account: { profile: { id: user.id, name: 'Exporter', has_password: true } } })
    expect(exported.body.account.sessions).toHaveLength(1)
    // Every registered section has its key (sections of other capabilities included).
    for (const section of personalDataSections) expect(exported.body).toHaveProperty(section.name)
    const text = JSON.stringify(exported.body)
    expect(text).not.toContain(user.password_hash!)
    expect(text).not.toContain(refreshToken)
    expect(text).not.toMatch(/token_hash|password_hash/)
  })

  it('deletes the account with all personal data and stored objects', async () => {
    const email = 'leaving@example.com'
    const session = (await register(email)).body
    const userId: string = session.user.id
    await login(email)
    await call(app, 'POST', '/api/v1/auth/password-reset/request', { body: { email }, ip: nextIp() })
    await deliverAccountMail(test.ctx)
    const bystander = await createSignedInUser(test.ctx)
    await test.ctx.storage.put(`users/${userId}/uploads/notes.pdf`, Buffer.from('mine'))
    await test.ctx.storage.put(`users/${userId}/audio/a.mp3`, Buffer.from('mine too'))
    await test.ctx.storage.put(`audio/${userId}/unit-1/clip.mp3`, Buffer.from('my library audio'))
    await test.ctx.storage.put(`users/${bystander.user.id}/uploads/keep.pdf`, Buffer.from('not mine'))

    expect((await call(app, 'DELETE', '/api/v1/me', { token: session.access_token, ip: '198.51.100.99' })).status).toBe(204)

    expect(await test.ctx.storage.get(`users/${userId}/uploads/notes.pdf`)).toBeNull()
    expect(await test.ctx.storage.get(`users/${userId}/audio/a.mp3`)).toBeNull()
    expect(await test.ctx.storage.get(`audio/${userId}/unit-1/clip.mp3`)).toBeNull()
    expect(await test.ctx.storage.get(`users/${bystander.user.id}/uploads/keep.pdf`)).not.toBeNull()
    for (const table of ['users', 'sessions', 'account_tokens']) {
      const column = table === 'users' ? 'id' : 'user_id'
      const [row] = await test.ctx.sql<{ count: number }[]>`select count(*) as count from ${test.ctx.sql(table)} where ${test.ctx.sql(column)} = ${userId}`
      expect(row!.count, table).toBe(0)
    }
    const [rotated] = await test.ctx.sql<{ count: number }[]>`
      select count(*) as count from rotated_refresh_tokens r left join sessions s on s.id = r.session_id where s.id is null`
    expect(rotated!.count).toBe(0)
    const remaining = await test.ctx.sql<{ ip: string | null }[]>`select ip from audit_log where actor_id = ${userId} or target_user_id = ${userId}`
    expect(remaining).toHaveLength(0)
    const [deletion] = await test.ctx.sql<{ actor_id: string | null; ip: string | null }[]>`select actor_id, ip from audit_log where action = 'account_delete' and target = ${userId}`
    expect(deletion).toEqual({ actor_id: null, ip: null })
    const anonymized = await test.ctx.sql<{ ip: string | null }[]>`select ip from audit_log where action = 'register' and actor_id is null and target_user_id is null`
    expect(anonymized.length).toBeGreaterThan(0)
    expect(anonymized.every((row) => row.ip === null)).toBe(true)

    expect((await call(app, 'GET', '/api/v1/me', { token: session.access_token })).status).toBe(401)
    expect((await login(email)).status).toBe(401)
    expect((await call(app, 'GET', '/api/v1/me', { token: bystander.accessToken })).status).toBe(200)
  })
})

describe('roles and admin', () => {
  it('lets an admin change roles; the user’s old token is refused until refreshed into the new role', async () => {
    const admin = await createSignedInUser(test.ctx, { role: 'admin' })
    const learner = await createSignedInUser(test.ctx)
    expect((await call(app, 'GET', '/api/v1/admin/users', { token: learner.accessToken })).status).toBe(403)

    const changed = await call(app, 'PUT', `/api/v1/admin/users/${learner.user.id}/role`, { token: admin.accessToken, body: { role: 'admin' }, ip: '192.0.2.50' })
    expect(changed.status).toBe(200)
    expect(changed.body.role).toBe('admin')
    const stale = await call(app, 'GET', '/api/v1/me', { token: learner.accessToken })
    expect(stale.status).toBe(401)
    expect(stale.body.error.code).toBe('token_expired')
    const refreshed = await call(app, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: learner.refreshToken } })
    expect(decodeJwt(refreshed.body.access_token).role).toBe('admin')
    expect((await call(app, 'GET', '/api/v1/admin/users', { token: refreshed.body.access_token })).status).toBe(200)

    const [entry] = await test.ctx.sql<{ actor_id: string; ip: string; details: unknown }[]>`
      select actor_id, ip, details from audit_log where action = 'role_change' and target_user_id = ${learner.user.id}`
    expect(entry).toEqual({ actor_id: admin.user.id, ip: '192.0.2.50', details: { from: 'learner', to: 'admin' } })

    expect((await call(app, 'PUT', `/api/v1/admin/users/${crypto.randomUUID()}/role`, { token: admin.accessToken, body: { role: 'mentor' } })).status).toBe(404)
    expect((await call(app, 'PUT', `/api/v1/admin/users/${learner.user.id}/role`, { token: admin.accessToken, body: { role: 'owner' } })).status).toBe(422)
  })

  it('never demotes or deletes the last admin', async () => {
    await test.ctx.sql`update users set role = 'learner' where role = 'admin'`
    const admin = await createSignedInUser(test.ctx, { role: 'admin' })
    const demote = await call(app, 'PUT', `/api/v1/admin/users/${admin.user.id}/role`, { token: admin.accessToken, body: { role: 'learner' } })
    expect(demote.status).toBe(409)
    expect((await call(app, 'DELETE', '/api/v1/me', { token: admin.accessToken })).status).toBe(409)
  })

  it('pages through users and the audit log', async () => {
    const admin = await createSignedInUser(test.ctx, { role: 'admin' })
    for (let index = 0; index < 3; index += 1) await createSignedInUser(test.ctx, { email: `pager-${index}@example.com`, role: 'mentor' })
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page: { status: number; body: { items: { id: string; email: string }[]; next_cursor: string | null } } = await call(app, 'GET', `/api/v1/admin/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: admin.accessToken })
      expect(page.status).toBe(200)
      expect(page.body.items.length).toBeLessThanOrEqual(2)
      seen.push(...page.body.items.map((item) => item.id))
      cursor = page.body.next_cursor
      pages += 1
    } while (cursor)
    const [total] = await test.ctx.sql<{ count: number }[]>`select count(*) as count from users`
    expect(seen).toHaveLength(total!.count)
    expect(new Set(seen).size).toBe(seen.length)
    expect(pages).toBe(Math.ceil(total!.count / 2))

    const search = await call(app, 'GET', '/api/v1/admin/users?q=PAGER-&role=mentor', { token: admin.accessToken })
    expect(search.body.items.map((item: { email: string }) => item.email).sort()).toEqual(['pager-0@example.com', 'pager-1@example.com', 'pager-2@example.com'])
    expect(search.body.items[0]).toHaveProperty('failed_logins')
    expect((await call(app, 'GET', '/api/v1/admin/users?cursor=garbage', { token: admin.accessToken })).status).toBe(422)

    const first = await call(app, 'GET', '/api/v1/admin/audit?limit=3', { token: admin.accessToken })
    expect(first.body.items).toHaveLength(3)
    const second = await call(app, 'GET', `/api/v1/admin/audit?limit=3&cursor=${first.body.next_cursor}`, { token: admin.accessToken })
    expect(second.body.items[0].id).toBeLessThan(first.body.items[2].id)
    const registers = await call(app, 'GET', '/api/v1/admin/audit?action=register&limit=200', { token: admin.accessToken })
    expect(registers.body.items.length).toBeGreaterThan(0)
    expect(registers.body.items.every((item: { action: string }) => item.action === 'register')).toBe(true)
    expect(Object.keys(registers.body.items[0]).sort()).toEqual(['action', 'actor_email', 'actor_id', 'created_at', 'details', 'id', 'ip', 'target', 'target_email', 'target_user_id'])
    // Admins read who did what by email: the users' current addresses, joined in (null once deleted).
    const emails = new Map((await test.ctx.sql<{ id: string; email: string }[]>`select id, email from users`).map((row) => [row.id, row.email]))
    const emailOf = (id: string | null) => (id ? (emails.get(id) ?? null) : null)
    for (const item of registers.body.items) {
      expect([item.actor_email, item.target_email]).toEqual([emailOf(item.actor_id), emailOf(item.target_user_id)])
    }
    expect(registers.body.items.some((item: { actor_email: string | null; target_email: string | null }) => item.actor_email ?? item.target_email)).toBe(true)
  })

  it('creates the first admin from FIRST_ADMIN_EMAIL/PASSWORD, idempotently', async () => {
    const ctx = { ...test.ctx, config: { ...test.ctx.config, FIRST_ADMIN_EMAIL: 'Root@Example.com', FIRST_ADMIN_PASSWORD: 'first admin passphrase' } }
    expect(await ensureFirstAdmin(ctx)).toBe('created')
    expect(await ensureFirstAdmin(ctx)).toBe('unchanged')
    const signedIn = await login('root@example.com', { password: 'first admin passphrase' })
    expect(signedIn.body.user).toMatchObject({ role: 'admin', email_verified: true })
    expect(await ensureFirstAdmin(test.ctx)).toBeNull()

    await register('promote-me@example.com')
    const promote = { ...test.ctx, config: { ...test.ctx.config, FIRST_ADMIN_EMAIL: 'promote-me@example.com', FIRST_ADMIN_PASSWORD: 'ignored passphrase' } }
    expect(await ensureFirstAdmin(promote)).toBe('promoted')
    expect((await login('promote-me@example.com')).body.user.role).toBe('admin')
  })
})

describe('cleanup', () => {
  it('deletes sessions and links that ended more than a week ago', async () => {
    const { user } = await createSignedInUser(test.ctx)
    test.clock.advance(9 * 24 * 3600 * 1000)
    const removed = await deleteStaleAuthRows(test.ctx)
    expect(removed.sessions).toBeGreaterThan(0)
    const rows = await test.ctx.sql`select id from sessions where user_id = ${user.id}`
    expect(rows).toHaveLength(0)
  })
})
