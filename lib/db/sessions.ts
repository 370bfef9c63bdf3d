import type { Queryable, Sql } from './index.ts'
import type { Role } from '../platform/define.ts'

export interface Session {
  id: string
  user_id: string
  token_hash: string
  remember_me: boolean
  expires_at: Date
  user_agent: string | null
  ip: string | null
  created_at: Date
  last_used_at: Date
  revoked_at: Date | null
  revoked_reason: string | null
  /** The token the latest rotation replaced, and when (a retry of it is taken, sql/0012). */
  previous_token_hash: string | null
  previous_rotated_at: Date | null
}

export async function insertSession(
  sql: Queryable,
  session: { userId: string; tokenHash: string; rememberMe: boolean; expiresAt: Date; userAgent: string | null; ip: string | null; now: Date },
): Promise<Session> {
  const [row] = await sql<Session[]>`
    insert into sessions (user_id, token_hash, remember_me, expires_at, user_agent, ip, created_at, last_used_at)
    values (${session.userId}, ${session.tokenHash}, ${session.rememberMe}, ${session.expiresAt}, ${session.userAgent}, ${session.ip}, ${session.now}, ${session.now})
    returning *`
  return row!
}

export type RotateResult =
  /** `retry`: the token was the one the latest rotation replaced, presented again within the window. */
  | { outcome: 'rotated'; session: Session; role: Role; retry: boolean }
  /** The token was current once and has been rotated out: it was replayed. */
  | { outcome: 'reused'; sessionId: string; userId: string }
  | { outcome: 'invalid' }

/**
 * Swaps the current refresh token of a live session for the next one, keeping the old hash to
 * recognize a replay. One transaction with the session row locked, so of two concurrent uses of one
 * token one rotates first; the other then finds the token its latest rotation replaced, which within
 * `retrySeconds` is a retry (rotated again, the answer the first got stops working) and later reuse.
 */
export async function rotateSessionToken(
  sql: Sql,
  options: {
    oldHash: string
    newHash: string
    now: Date
    lifetimeSeconds: (session: Pick<Session, 'remember_me'>) => number
    ip: string | null
    /** How long the token replaced by the latest rotation may be presented again. */
    retrySeconds: number
  },
): Promise<RotateResult> {
  const { oldHash, now } = options
  return sql.begin(async (tx): Promise<RotateResult> => {
    const rotate = async (current: Session, retry: boolean): Promise<RotateResult> => {
      const expiresAt = new Date(now.getTime() + options.lifetimeSeconds(current) * 1000)
      const [session] = await tx<Session[]>`
        update sessions set token_hash = ${options.newHash}, previous_token_hash = ${oldHash}, previous_rotated_at = ${now},
          last_used_at = ${now}, expires_at = ${expiresAt}, ip = coalesce(${options.ip}, ip)
        where id = ${current.id} returning *`
      // On a retry, the token the lost answer carried is rotated out too (it is `current.token_hash`).
      await tx`insert into rotated_refresh_tokens (token_hash, session_id, rotated_at) values (${current.token_hash}, ${current.id}, ${now})`
      const [user] = await tx<{ role: Role }[]>`select role from users where id = ${current.user_id}`
      return { outcome: 'rotated', session: session!, role: user!.role, retry }
    }

    const [current]: [Session?] = await tx`
      select * from sessions where token_hash = ${oldHash} and revoked_at is null and expires_at > ${now}
      for update`
    if (current) return rotate(current, false)
    // A page reloaded while its refresh was in flight never stored the answer and sends the token
    // it has again, a moment later: a retry, not a stolen copy, while the session has not moved on.
    const [retried]: [Session?] = await tx`
      select * from sessions
      where previous_token_hash = ${oldHash} and previous_rotated_at >= ${new Date(now.getTime() - options.retrySeconds * 1000)}
        and revoked_at is null and expires_at > ${now}
      for update`
    if (retried) return rotate(retried, true)

    const [rotated]: [{ session_id: string; user_id: string }?] = await tx`
      select r.session_id, s.user_id from rotated_refresh_tokens r join sessions s on s.id = r.session_id
      where r.token_hash = ${oldHash}`
    return rotated ? { outcome: 'reused', sessionId: rotated.session_id, userId: rotated.user_id } : { outcome: 'invalid' }
  })
}

export async function findSessionByTokenHash(sql: Queryable, tokenHash: string): Promise<Session | undefined> {
  const [session]: [Session?] = await sql`select * from sessions where token_hash = ${tokenHash}`
  return session
}

/** Revokes one session; returns it when it was live until now. */
export async function revokeSession(sql: Queryable, id: string, reason: string, now: Date, userId?: string): Promise<Session | undefined> {
  const [session]: [Session?] = await sql`
    update sessions set revoked_at = ${now}, revoked_reason = ${reason}
    where id = ${id} and revoked_at is null ${userId ? sql`and user_id = ${userId}` : sql``}
    returning *`
  return session
}

/** Revokes every live session of a user; returns their ids. */
export async function revokeUserSessions(sql: Queryable, userId: string, reason: string, now: Date): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    update sessions set revoked_at = ${now}, revoked_reason = ${reason}
    where user_id = ${userId} and revoked_at is null and expires_at > ${now}
    returning id`
  return rows.map((row) => row.id)
}

export async function listLiveSessions(sql: Queryable, userId: string, now: Date): Promise<Session[]> {
  return sql<Session[]>`
    select * from sessions where user_id = ${userId} and revoked_at is null and expires_at > ${now}
    order by last_used_at desc, id`
}

export async function listLiveSessionIds(sql: Queryable, userId: string, now: Date): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`select id from sessions where user_id = ${userId} and revoked_at is null and expires_at > ${now}`
  return rows.map((row) => row.id)
}

export async function listAllSessions(sql: Queryable, userId: string): Promise<Session[]> {
  return sql<Session[]>`select * from sessions where user_id = ${userId} order by created_at, id`
}

/** Sessions that ended (expired or revoked) before `before`, with their rotated tokens (cascade). */
export async function deleteEndedSessions(sql: Queryable, before: Date): Promise<number> {
  const rows = await sql`delete from sessions where expires_at < ${before} or revoked_at < ${before} returning id`
  return rows.length
}
