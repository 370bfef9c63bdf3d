import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { httpFunctions } from '../functions/registry.ts'
import type { AuthLevel, Role } from '../lib/platform/define.ts'
import { app, test, useTestApp } from './support/test-app.ts'
import { call, createSignedInUser } from './support/accounts.ts'

/**
 * The authorization matrix, generated from the registry: every HTTP function × {no token, learner,
 * mentor, admin}. Without a token a guarded function answers 401; with too low a role, 403; with
 * enough, anything but 401/403 (the request has no body and random ids, so 404 or 422 are fine).
 * A new function is covered the moment it is registered. Functions that check ownership themselves
 * answer 404 for resources the caller cannot see, never 403.
 */
const callers = ['anonymous', 'learner', 'mentor', 'admin'] as const
type Caller = (typeof callers)[number]
const rank: Record<AuthLevel, number> = { none: 0, learner: 1, mentor: 2, admin: 3 }

function expectedFor(level: AuthLevel, caller: Caller): 401 | 403 | 'allowed' {
  if (level === 'none') return 'allowed'
  if (caller === 'anonymous') return 401
  return rank[caller] >= rank[level] ? 'allowed' : 403
}

/** `/api/v1/units/:id/report` → `/api/v1/units/<uuid>/report` (also `:id{regex}` and optional `:id?`). */
function concretePath(path: string): string {
  return path.replace(/:[A-Za-z_][A-Za-z0-9_]*(\{[^}]*\})?\??/g, () => randomUUID()).replace(/\*$/, 'x')
}

useTestApp()

const functions = httpFunctions()

describe('authorization matrix', () => {
  it('covers the registry', () => {
    expect(functions.length).toBeGreaterThanOrEqual(20)
    for (const [name, fn] of functions) expect(Object.keys(rank), name).toContain(fn.auth)
  })

  it.each(functions)('%s', async (name, fn) => {
    const path = concretePath(fn.path)
    const outcomes: Record<string, number> = {}
    const mismatches: string[] = []
    for (const caller of callers) {
      // A fresh account per function and role: some functions end sessions or delete the account.
      const token = caller === 'anonymous' ? undefined : (await createSignedInUser(test.ctx, { role: caller as Role })).accessToken
      const response = await call(app, fn.method, path, { token })
      outcomes[caller] = response.status
      const expected = expectedFor(fn.auth, caller)
      const ok = expected === 'allowed' ? response.status !== 401 && response.status !== 403 : response.status === expected
      if (!ok) mismatches.push(`${caller}: expected ${expected}, got ${response.status} ${JSON.stringify(response.body)}`)
    }
    expect(mismatches, `${name} (${fn.method} ${fn.path}, auth ${fn.auth}) → ${JSON.stringify(outcomes)}`).toEqual([])
  })
})
