import type { Queryable } from './index.ts'
import type { TimeCursor } from '../platform/cursor.ts'
import type { Role } from '../platform/define.ts'

export interface User {
  id: string
  email: string | null
  name: string
  password_hash: string | null
  role: Role
  timezone: string
  locale: string
  email_verified_at: Date | null
  failed_logins: number
  locked_until: Date | null
  external_issuer: string | null
  external_subject: string | null
  created_at: Date
  updated_at: Date
}

export interface NewUser {
  email: string | null
  name: string
  passwordHash: string | null
  role?: Role
  emailVerifiedAt?: Date | null
  external?: { issuer: string; subject: string }
  now: Date
}

/** Throws postgres error 23505 on a taken email (constraint `users_email_key`) or external identity. */
export async function insertUser(sql: Queryable, user: NewUser): Promise<User> {
  const [row] = await sql<User[]>`
    insert into users (email, name, password_hash, role, email_verified_at, external_issuer, external_subject, created_at, updated_at)
    values (${user.email}, ${user.name}, ${user.passwordHash}, ${user.role ?? 'learner'}, ${user.emailVerifiedAt ?? null},
            ${user.external?.issuer ?? null}, ${user.external?.subject ?? null}, ${user.now}, ${user.now})
    returning *`
  return row!
}

export async function findUserById(sql: Queryable, id: string): Promise<User | undefined> {
  const [user]: [User?] = await sql`select * from users where id = ${id}`
  return user
}

export async function findUserByEmail(sql: Queryable, email: string): Promise<User | undefined> {
  const [user]: [User?] = await sql`select * from users where email = ${email}`
  return user
}

export async function findUserByExternalIdentity(sql: Queryable, issuer: string, subject: string): Promise<User | undefined> {
  const [user]: [User?] = await sql`select * from users where external_issuer = ${issuer} and external_subject = ${subject}`
  return user
}

/**
 * Counts a failed sign-in atomically; the `threshold`-th consecutive failure locks the account
 * until `lockUntil` and starts the count again.
 */
export async function recordFailedLogin(sql: Queryable, id: string, options: { threshold: number; lockUntil: Date; now: Date }) {
  const [row] = await sql<{ failed_logins: number; locked_until: Date | null; locked: boolean }[]>`
    update users set
      failed_logins = case when failed_logins + 1 >= ${options.threshold} then 0 else failed_logins + 1 end,
      locked_until = case when failed_logins + 1 >= ${options.threshold} then ${options.lockUntil} else locked_until end,
      updated_at = ${options.now}
    where id = ${id}
    returning failed_logins, locked_until, (locked_until = ${options.lockUntil}) as locked`
  return row
}

export async function clearFailedLogins(sql: Queryable, id: string, now: Date): Promise<void> {
  await sql`update users set failed_logins = 0, locked_until = null, updated_at = ${now} where id = ${id} and (failed_logins <> 0 or locked_until is not null)`
}

export async function updatePasswordHash(sql: Queryable, id: string, passwordHash: string, now: Date): Promise<void> {
  await sql`update users set password_hash = ${passwordHash}, updated_at = ${now} where id = ${id}`
}

export interface ProfileChanges {
  name?: string
  timezone?: string
  locale?: string
}

export async function updateProfile(sql: Queryable, id: string, changes: ProfileChanges, now: Date): Promise<User | undefined> {
  const set = { ...Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)), updated_at: now }
  const [user]: [User?] = await sql`update users set ${sql(set)} where id = ${id} returning *`
  return user
}

export async function setRole(sql: Queryable, id: string, role: Role, now: Date): Promise<User | undefined> {
  const [user]: [User?] = await sql`update users set role = ${role}, updated_at = ${now} where id = ${id} returning *`
  return user
}

export async function markEmailVerified(sql: Queryable, id: string, now: Date): Promise<void> {
  await sql`update users set email_verified_at = coalesce(email_verified_at, ${now}), updated_at = ${now} where id = ${id}`
}

export async function countAdmins(sql: Queryable): Promise<number> {
  const [row] = await sql<{ count: number }[]>`select count(*) as count from users where role = 'admin'`
  return row!.count
}

export interface UserPageOptions {
  limit: number
  /** Keyset cursor: the last row of the previous page. */
  after?: TimeCursor
  /** Case-insensitive substring of the email or name. */
  search?: string
  role?: Role
}

/** Oldest first, by (created_at, id), so pages stay stable while accounts are added. */
export async function listUsers(sql: Queryable, options: UserPageOptions): Promise<User[]> {
  const pattern = options.search ? `%${options.search.replace(/[\\%_]/g, '\\$&')}%` : null
  return sql<User[]>`
    select * from users
    where true
      ${options.after ? sql`and (created_at, id) > (${options.after.at}, ${options.after.id})` : sql``}
      ${pattern ? sql`and (email ilike ${pattern} or name ilike ${pattern})` : sql``}
      ${options.role ? sql`and role = ${options.role}` : sql``}
    order by created_at, id
    limit ${options.limit}`
}

export async function deleteUser(sql: Queryable, id: string): Promise<boolean> {
  const rows = await sql`delete from users where id = ${id} returning id`
  return rows.length > 0
}
