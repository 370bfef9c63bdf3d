import { readFileSync } from 'node:fs'
import path from 'node:path'
import { corpusDir } from '../../tests/support/corpus.ts'
import { describe, expect, it } from 'vitest'
import { app, test, useTestApp } from '../../tests/support/test-app.ts'
import { call, createSignedInUser, type CallResult } from '../../tests/support/accounts.ts'
import { normalizeEmail } from './email.ts'

/**
 * The Big List of Naughty Strings as email, name and password: every answer is either success with
 * the value stored verbatim (emails: in their normalized form) or a 4xx with an error code — never a 500.
 */
const naughty = readFileSync(path.join(corpusDir, 'blns.txt'), 'utf8')
  .split('\n')
  .filter((line) => line !== '' && !line.startsWith('#'))

let sequence = 0
/** Each sign-up from its own address and email, so only the input decides the outcome. */
const next = () => {
  sequence += 1
  return { ip: `10.${(sequence >> 16) & 255}.${(sequence >> 8) & 255}.${sequence & 255}`, email: `naughty-${sequence}@example.com` }
}
const goodPassword = 'naughty strings never win'

useTestApp({ env: { TRUST_PROXY: 'true' } })

/** Returns a description of the problem, or null when the response is one of the two allowed kinds. */
function problem(input: string, response: CallResult<{ error?: { code?: unknown } }>, success: number): string | null {
  if (response.status === success) return null
  if (response.status >= 400 && response.status < 500 && typeof response.body?.error?.code === 'string') return null
  return `${JSON.stringify(input)} → ${response.status} ${JSON.stringify(response.body)}`
}

describe('naughty strings', () => {
  it('has the corpus', () => {
    expect(naughty.length).toBeGreaterThan(400)
  })

  it('as email', async () => {
    const problems: string[] = []
    let accepted = 0
    for (const input of naughty) {
      const { ip } = next()
      const response = await call(app, 'POST', '/api/v1/auth/register', { body: { email: input, password: goodPassword }, ip })
      const found = problem(input, response, 201)
      if (found) problems.push(found)
      else if (response.status === 201) {
        accepted += 1
        if (response.body.user.email !== normalizeEmail(input)) problems.push(`${JSON.stringify(input)} stored as ${JSON.stringify(response.body.user.email)}`)
      }
    }
    expect(problems).toEqual([])
    expect(accepted).toBeLessThan(naughty.length)
  })

  it('as name', async () => {
    const problems: string[] = []
    let accepted = 0
    for (const input of naughty) {
      const { ip, email } = next()
      const response = await call(app, 'POST', '/api/v1/auth/register', { body: { email, password: goodPassword, name: input }, ip })
      const found = problem(input, response, 201)
      if (found) problems.push(found)
      else if (response.status === 201) {
        accepted += 1
        // The user in the response is the row the insert returned, i.e. what the database holds.
        if (response.body.user.name !== input) problems.push(`${JSON.stringify(input)} stored as ${JSON.stringify(response.body.user.name)}`)
      }
    }
    expect(problems).toEqual([])
    expect(accepted).toBeGreaterThan(naughty.length / 2)
  })

  it('as password', async () => {
    const problems: string[] = []
    let accepted = 0
    for (const input of naughty) {
      const { ip, email } = next()
      const response = await call(app, 'POST', '/api/v1/auth/register', { body: { email, password: input }, ip })
      const found = problem(input, response, 201)
      if (found) problems.push(found)
      else if (response.status === 201) {
        accepted += 1
        const login = await call(app, 'POST', '/api/v1/auth/login', { body: { email, password: input }, ip })
        if (login.status !== 200) problems.push(`${JSON.stringify(input)} was accepted but does not sign in: ${login.status}`)
      }
    }
    expect(problems).toEqual([])
    expect(accepted).toBeGreaterThan(0)
  })

  it('as name in PUT /me', async () => {
    const problems: string[] = []
    let token = ''
    for (const [index, input] of naughty.entries()) {
      // A new account every 50 updates stays under the general per-user limit (60 a minute).
      if (index % 50 === 0) token = (await createSignedInUser(test.ctx)).accessToken
      const response = await call(app, 'PUT', '/api/v1/me', { token, body: { name: input } })
      const found = problem(input, response, 200)
      if (found) problems.push(found)
      else if (response.status === 200 && response.body.name !== input) problems.push(`${JSON.stringify(input)} stored as ${JSON.stringify(response.body.name)}`)
    }
    expect(problems).toEqual([])
  })
})
