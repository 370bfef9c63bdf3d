import type { Queryable } from './index.ts'

/** Signed upload URLs not registered yet (sql/0011_upload_tickets.sql). */
export async function insertUploadTicket(sql: Queryable, ticket: { objectKey: string; userId: string; expiresAt: Date }): Promise<void> {
  await sql`insert into upload_tickets (object_key, user_id, expires_at) values (${ticket.objectKey}, ${ticket.userId}, ${ticket.expiresAt})`
}

export async function deleteUploadTickets(sql: Queryable, objectKeys: readonly string[]): Promise<void> {
  if (objectKeys.length === 0) return
  await sql`delete from upload_tickets where object_key = any(${objectKeys as string[]}::text[])`
}

export interface ExpiredUploadRow {
  object_key: string
  /** A source holds the object: only the ticket goes (its removal at registration did not happen). */
  registered: boolean
}

/** Tickets whose URL expired before `before`, oldest first. */
export async function findExpiredUploadTickets(sql: Queryable, before: Date, limit: number): Promise<ExpiredUploadRow[]> {
  return sql<ExpiredUploadRow[]>`
    select t.object_key, exists (select 1 from sources s where s.user_id = t.user_id and s.object_key = t.object_key) as registered
    from upload_tickets t
    where t.expires_at < ${before}
    order by t.expires_at, t.object_key
    limit ${limit}`
}
