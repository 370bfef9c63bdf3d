import { z } from 'zod'
import type { Ctx } from '../context.ts'
import type { AuthUser, Role } from '../platform/define.ts'
import { AppError } from '../errors.ts'
import { countAdmins, findUserByEmail, findUserById, listUsers, setRole, type User } from '../db/users.ts'
import { listLiveSessionIds } from '../db/sessions.ts'
import { markSessionsRole } from '../auth/session-state.ts'
import { audit } from './audit.ts'
import { isValidEmail, normalizeEmail } from './email.ts'
import { userView, type UserView } from './profile.ts'
import { createPasswordUser } from './register.ts'
import { decodeTimeCursor, encodeTimeCursor } from '../platform/cursor.ts'

export const RoleSchema = z.enum(['learner', 'mentor', 'admin'])

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
})

export const UserListQuerySchema = PageQuerySchema.extend({
  q: z.string().max(254).optional(),
  role: RoleSchema.optional(),
})

export const AuditListQuerySchema = PageQuerySchema.extend({
  cursor: z.string().regex(/^\d{1,15}$/, 'must be a cursor from a previous page').optional(),
  action: z.string().max(64).optional(),
  user_id: z.uuid().optional(),
})

export interface AdminUserView extends UserView {
  failed_logins: number
  locked_until: string | null
  external: boolean
}

function adminUserView(user: User): AdminUserView {
  return {
    ...userView(user),
    failed_logins: user.failed_logins,
    locked_until: user.locked_until?.toISOString() ?? null,
    external: user.external_subject !== null,
  }
}

/** Oldest first; `next_cursor` is null on the last page. */
export async function listUsersPage(ctx: Ctx, query: z.output<typeof UserListQuerySchema>) {
  const rows = await listUsers(ctx.sql, {
    limit: query.limit + 1,
    after: query.cursor ? decodeTimeCursor(query.cursor) : undefined,
    search: query.q,
    role: query.role,
  })
  const page = rows.slice(0, query.limit)
  const last = page.at(-1)
  return { items: page.map(adminUserView), next_cursor: rows.length > query.limit && last ? encodeTimeCursor(last.created_at, last.id) : null }
}

/**
 * The new role applies to the user's next access token: their live sessions get a KV marker so
 * tokens with the old role are refused (401 token_expired) and the client refreshes at once.
 * The last admin cannot be demoted, or nobody could manage roles any more.
 */
export async function changeRole(ctx: Ctx, actor: AuthUser, targetId: string, role: Role, client: { ip: string }): Promise<AdminUserView> {
  const target = await findUserById(ctx.sql, targetId)
  if (!target) throw new AppError('not_found', { message: 'No such user.' })
  if (target.role === role) return adminUserView(target)
  if (target.role === 'admin' && (await countAdmins(ctx.sql)) <= 1) {
    throw new AppError('conflict', { message: 'This is the only admin. Make someone else an admin first.' })
  }
  const updated = await setRole(ctx.sql, target.id, role, ctx.clock.now())
  if (!updated) throw new AppError('not_found', { message: 'No such user.' })
  await markSessionsRole(ctx, await listLiveSessionIds(ctx.sql, target.id, ctx.clock.now()), role)
  await audit(ctx, { action: 'role_change', actorId: actor.id, targetUserId: target.id, ip: client.ip, details: { from: target.role, to: role } })
  return adminUserView(updated)
}

export type EnsureAdminOutcome = 'created' | 'promoted' | 'unchanged'

/**
 * Idempotent: creates an admin with this email and password, or makes the existing account an admin.
 * An existing account keeps its password (this never resets one).
 */
export async function ensureAdmin(ctx: Ctx, input: { email: string; password: string }): Promise<{ outcome: EnsureAdminOutcome; user: User }> {
  const email = normalizeEmail(input.email)
  if (!isValidEmail(email)) throw new AppError('validation_failed', { message: 'The admin email is not a valid address.' })
  const existing = await findUserByEmail(ctx.sql, email)
  if (existing?.role === 'admin') return { outcome: 'unchanged', user: existing }
  if (existing) {
    const user = (await setRole(ctx.sql, existing.id, 'admin', ctx.clock.now()))!
    await markSessionsRole(ctx, await listLiveSessionIds(ctx.sql, user.id, ctx.clock.now()), 'admin')
    await audit(ctx, { action: 'admin_promote', targetUserId: user.id, details: { from: existing.role } })
    return { outcome: 'promoted', user }
  }
  try {
    const user = await createPasswordUser(ctx, { email, password: input.password, role: 'admin', emailVerified: true })
    await audit(ctx, { action: 'admin_create', targetUserId: user.id })
    return { outcome: 'created', user }
  } catch (error) {
    // Two processes starting at once: the other one created it.
    if (error instanceof AppError && error.code === 'email_taken') return ensureAdmin(ctx, input)
    throw error
  }
}

/** FIRST_ADMIN_EMAIL / FIRST_ADMIN_PASSWORD at start; the runner calls this after migrating. */
export async function ensureFirstAdmin(ctx: Ctx): Promise<EnsureAdminOutcome | null> {
  const { FIRST_ADMIN_EMAIL: email, FIRST_ADMIN_PASSWORD: password } = ctx.config
  if (!email || !password) return null
  const { outcome, user } = await ensureAdmin(ctx, { email, password })
  if (outcome !== 'unchanged') ctx.log.info('first admin ensured', { outcome, userId: user.id })
  return outcome
}
