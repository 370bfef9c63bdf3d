import type { Ctx } from '../context.ts'
import { insertAuditEntry, listAuditEntries, type AuditEntry, type NewAuditEntry } from '../db/audit-log.ts'
import type { Queryable } from '../db/index.ts'

/**
 * What the audit log records. Account events: register, login_ok, login_failed, lockout,
 * refresh_reuse, session_revoke, logout_all, password_reset_request, password_reset, email_verified,
 * account_delete. Admin actions: role_change, admin_create, admin_promote.
 */
export type AuditAction =
  | 'register'
  | 'login_ok'
  | 'login_failed'
  | 'lockout'
  | 'refresh_reuse'
  | 'session_revoke'
  | 'logout_all'
  | 'password_reset_request'
  | 'password_reset'
  | 'email_verified'
  | 'account_delete'
  | 'role_change'
  | 'admin_create'
  | 'admin_promote'
  | 'external_provision'
  // Content administration (lib/content/admin.ts).
  | 'topic_refill'
  | 'unit_regenerate'
  | 'unit_restore'
  | 'unit_retire'

export async function audit(ctx: Pick<Ctx, 'sql' | 'clock'>, entry: Omit<NewAuditEntry, 'now' | 'action'> & { action: AuditAction }, sql: Queryable = ctx.sql): Promise<void> {
  await insertAuditEntry(sql, { ...entry, now: ctx.clock.now() })
}

/** An audit entry as the API returns it: the same fields, the time as ISO text. */
export type AuditView = Omit<AuditEntry, 'created_at'> & { created_at: string }

export function auditView<Entry extends AuditEntry>(entry: Entry): Omit<Entry, 'created_at'> & { created_at: string } {
  return { ...entry, created_at: entry.created_at.toISOString() }
}

export async function listAudit(ctx: Ctx, options: { limit: number; cursor?: string; action?: string; userId?: string }) {
  const beforeId = options.cursor === undefined ? undefined : Number(options.cursor)
  const rows = await listAuditEntries(ctx.sql, { limit: options.limit + 1, beforeId, action: options.action, userId: options.userId })
  const page = rows.slice(0, options.limit)
  return { items: page.map(auditView), next_cursor: rows.length > options.limit ? String(page.at(-1)!.id) : null }
}
