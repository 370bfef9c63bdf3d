import type { Ctx } from '../context.ts'
import type { AuthUser, Role } from '../platform/define.ts'
import { AppError } from '../errors.ts'
import * as sessions from '../db/sessions.ts'
import { audit } from '../accounts/audit.ts'
import { accessTokenSeconds, signAccessToken } from './access-token.ts'
import { hashOpaqueToken, newOpaqueToken } from './opaque-token.ts'
import { markSessionsRevoked } from './session-state.ts'

export const rememberMeSeconds = 30 * 24 * 3600
/**
 * A refresh token rotated out this recently, by the session's latest rotation, is taken again once:
 * the client lost the answer (a reload mid-refresh aborts the request after the server rotated).
 * Later, or after the session moved on, it is a replay and ends the family.
 */
export const refreshRetrySeconds = 30
export const sessionSeconds = 24 * 3600
const maxUserAgentLength = 512

/** Each refresh token lives this long from when it is issued, so a session used regularly stays signed in. */
export function refreshLifetimeSeconds(session: { remember_me: boolean }): number {
  return session.remember_me ? rememberMeSeconds : sessionSeconds
}

export interface TokenPair {
  access_token: string
  refresh_token: string
  token_type: 'Bearer'
  /** Seconds the access token is valid. */
  expires_in: number
}

export interface ClientInfo {
  ip: string | null
  userAgent: string | null
}

/** A new refresh-token family (one signed-in device) and its first access token. */
export async function startSession(ctx: Ctx, user: { id: string; role: Role }, options: ClientInfo & { rememberMe: boolean }): Promise<TokenPair & { sessionId: string }> {
  const now = ctx.clock.now()
  const refresh = newOpaqueToken()
  const session = await sessions.insertSession(ctx.sql, {
    userId: user.id,
    tokenHash: refresh.hash,
    rememberMe: options.rememberMe,
    expiresAt: new Date(now.getTime() + refreshLifetimeSeconds({ remember_me: options.rememberMe }) * 1000),
    userAgent: options.userAgent?.slice(0, maxUserAgentLength) ?? null,
    ip: options.ip,
    now,
  })
  return { ...(await tokenPair(ctx, { id: user.id, role: user.role, sessionId: session.id }, refresh.token)), sessionId: session.id }
}

async function tokenPair(ctx: Ctx, user: { id: string; role: Role; sessionId: string }, refreshToken: string): Promise<TokenPair> {
  return { access_token: await signAccessToken(ctx, user), refresh_token: refreshToken, token_type: 'Bearer', expires_in: accessTokenSeconds }
}

const invalidRefresh = () => new AppError('invalid_token', { message: 'The refresh token is not valid. Sign in again.' })

/**
 * Rotation with reuse detection (RFC 9700 §4.14.2): every use returns a new refresh token; a token
 * that was already rotated out means someone else holds a copy, so the whole family ends — unless it
 * is a retry of the latest rotation within `refreshRetrySeconds`.
 */
export async function refreshSession(ctx: Ctx, refreshToken: string, client: ClientInfo): Promise<TokenPair> {
  const now = ctx.clock.now()
  const next = newOpaqueToken()
  const result = await sessions.rotateSessionToken(ctx.sql, {
    oldHash: hashOpaqueToken(refreshToken),
    newHash: next.hash,
    now,
    lifetimeSeconds: refreshLifetimeSeconds,
    ip: client.ip,
    retrySeconds: refreshRetrySeconds,
  })
  if (result.outcome === 'rotated') {
    if (result.retry) ctx.log.info('refresh token presented again within the retry window; rotated again', { sessionId: result.session.id })
    return tokenPair(ctx, { id: result.session.user_id, role: result.role, sessionId: result.session.id }, next.token)
  }
  if (result.outcome === 'reused') {
    const revoked = await sessions.revokeSession(ctx.sql, result.sessionId, 'refresh_reuse', now)
    await markSessionsRevoked(ctx, [result.sessionId])
    await audit(ctx, { action: 'refresh_reuse', actorId: null, targetUserId: result.userId, target: result.sessionId, ip: client.ip, details: { family_was_live: !!revoked } })
    ctx.log.warn('refresh token reused; session family revoked', { sessionId: result.sessionId })
  }
  throw invalidRefresh()
}

/** Logout: ends the family the token belongs to. Unknown or already-ended tokens are fine (idempotent). */
export async function endSessionByToken(ctx: Ctx, refreshToken: string): Promise<void> {
  const session = await sessions.findSessionByTokenHash(ctx.sql, hashOpaqueToken(refreshToken))
  if (!session) return
  if (await sessions.revokeSession(ctx.sql, session.id, 'logout', ctx.clock.now())) await markSessionsRevoked(ctx, [session.id])
}

export async function endSessionById(ctx: Ctx, user: AuthUser, sessionId: string, ip: string | null): Promise<void> {
  const session = await sessions.revokeSession(ctx.sql, sessionId, 'ended_by_user', ctx.clock.now(), user.id)
  if (!session) throw new AppError('not_found', { message: 'No such session.' })
  await markSessionsRevoked(ctx, [session.id])
  await audit(ctx, { action: 'session_revoke', actorId: user.id, targetUserId: user.id, target: session.id, ip })
}

/** Ends every session of a user (logout-all, password reset). */
export async function endAllSessions(ctx: Ctx, userId: string, reason: string): Promise<number> {
  const ids = await sessions.revokeUserSessions(ctx.sql, userId, reason, ctx.clock.now())
  await markSessionsRevoked(ctx, ids)
  return ids.length
}

export interface SessionView {
  id: string
  current: boolean
  remember_me: boolean
  user_agent: string | null
  ip: string | null
  created_at: string
  last_used_at: string
  expires_at: string
}

export async function listSessions(ctx: Ctx, user: AuthUser): Promise<{ items: SessionView[] }> {
  const rows = await sessions.listLiveSessions(ctx.sql, user.id, ctx.clock.now())
  return {
    items: rows.map((row) => ({
      id: row.id,
      current: row.id === user.sessionId,
      remember_me: row.remember_me,
      user_agent: row.user_agent,
      ip: row.ip,
      created_at: row.created_at.toISOString(),
      last_used_at: row.last_used_at.toISOString(),
      expires_at: row.expires_at.toISOString(),
    })),
  }
}

/** POST /auth/logout-all: every device signs out, this one included. */
export async function logoutEverywhere(ctx: Ctx, user: AuthUser, ip: string | null): Promise<void> {
  const ended = await endAllSessions(ctx, user.id, 'logout_all')
  await audit(ctx, { action: 'logout_all', actorId: user.id, targetUserId: user.id, ip, details: { sessions_ended: ended } })
}

/** Token responses must not be cached (RFC 6749 §5.1). */
export function tokenResponse(body: object, status = 200): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } })
}
