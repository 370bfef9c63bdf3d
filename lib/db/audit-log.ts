import type { Queryable } from './index.ts'

export interface AuditEntry {
  id: number
  actor_id: string | null
  action: string
  target_user_id: string | null
  target: string | null
  ip: string | null
  details: Record<string, unknown>
  created_at: Date
}

export interface NewAuditEntry {
  actorId?: string | null
  action: string
  targetUserId?: string | null
  target?: string | null
  ip?: string | null
  details?: Record<string, unknown>
  now: Date
}

export async function insertAuditEntry(sql: Queryable, entry: NewAuditEntry): Promise<void> {
  await sql`
    insert into audit_log (actor_id, action, target_user_id, target, ip, details, created_at)
    values (${entry.actorId ?? null}, ${entry.action}, ${entry.targetUserId ?? null}, ${entry.target ?? null}, ${entry.ip ?? null},
            ${sql.json((entry.details ?? {}) as never)}, ${entry.now})`
}

export interface AuditPageOptions {
  limit: number
  /** Keyset cursor: entries older than this id. */
  beforeId?: number
  action?: string
  /** Entries where the user is the actor or the target. */
  userId?: string
}

/** An entry as admins see it: with the current email of the actor and the target user (null once deleted). */
export interface AdminAuditEntry extends AuditEntry {
  actor_email: string | null
  target_email: string | null
}

/** Newest first. */
export async function listAuditEntries(sql: Queryable, options: AuditPageOptions): Promise<AdminAuditEntry[]> {
  return sql<AdminAuditEntry[]>`
    select a.*, actor.email as actor_email, target.email as target_email
    from audit_log a
    left join users actor on actor.id = a.actor_id
    left join users target on target.id = a.target_user_id
    where true
      ${options.beforeId !== undefined ? sql`and a.id < ${options.beforeId}` : sql``}
      ${options.action ? sql`and a.action = ${options.action}` : sql``}
      ${options.userId ? sql`and (a.actor_id = ${options.userId} or a.target_user_id = ${options.userId})` : sql``}
    order by a.id desc
    limit ${options.limit}`
}

export async function listAuditEntriesForUser(sql: Queryable, userId: string): Promise<AuditEntry[]> {
  return sql<AuditEntry[]>`select * from audit_log where actor_id = ${userId} or target_user_id = ${userId} order by id`
}

/** Erases the IP addresses in entries about a user who is being deleted; the entries themselves stay. */
export async function eraseAuditIps(sql: Queryable, userId: string): Promise<void> {
  await sql`update audit_log set ip = null where actor_id = ${userId} or target_user_id = ${userId}`
}
