import { client } from './api.ts'
import type { Page } from './page.ts'
import type { Role } from './types.ts'

/**
 * The admin endpoints (role admin only; anyone else gets 403). Shapes follow lib/content/admin.ts,
 * lib/ai/usage.ts and lib/accounts/admin.ts.
 */

export type UnitFormat = 'text' | 'quiz' | 'audio' | 'visual'

export interface Reservoir {
  topic: { id: string; slug: string; title: string; language: string; status: string }
  followers: number
  active_followers: number
  /** Active units. */
  stock: number
  stock_by_format?: Partial<Record<UnitFormat, number>>
  hidden: number
  retired: number
  /** What the least-supplied active follower has not seen yet: the refill trigger. */
  unseen_min: number
  served: number
  like_rate: number | null
  quiz_accuracy: number | null
  open_reports: number
  last_batch_at: string | null
}

export interface ReservoirPage extends Page<Reservoir> {
  /** Refill target: below this many unseen units a batch is queued. */
  refill_threshold?: number
}

export interface UsageTotals {
  costUsd: number
  tokensIn: number
  tokensOut: number
  calls: number
  cacheHits: number
}

export interface AiUsageReport {
  from: string
  to: string
  totals: UsageTotals
  byDay: (UsageTotals & { day: string })[]
  byModel: (UsageTotals & { provider: string; model: string })[]
  byPurpose: (UsageTotals & { purpose: string })[]
  byLearner: { userId: string; email?: string; costUsd: number; tokens: number; calls: number }[]
}

export type UnitStatus = 'active' | 'hidden' | 'retired'

export interface ReportedUnit {
  unit: { id: string; topic_id: string; topic_title: string; type: string; quiz_kind: string | null; body: Record<string, unknown>; status: UnitStatus; version: number }
  open_reports: number
  reasons: Record<string, number>
  details: string[]
  first_reported_at: string
  last_reported_at: string
}

export interface AdminUnit {
  id: string
  topic_id: string
  type: string
  quiz_kind: string | null
  body: Record<string, unknown>
  status: UnitStatus
  version: number
  report_count: number
}

export interface RegenerateResult {
  unit: AdminUnit
  previous_version: number
  rejected: { index: number; code: string }[]
}

export interface AdminUser {
  id: string
  email: string | null
  name: string
  role: Role
  locale: string
  email_verified: boolean
  created_at: string
  failed_logins: number
  locked_until: string | null
  external: boolean
}

export interface AuditEntry {
  id: number
  actor_id: string | null
  action: string
  target_user_id: string | null
  target: string | null
  ip: string | null
  details: Record<string, unknown>
  created_at: string
  /** The actor's and the target user's current emails; null for the system or a deleted account. */
  actor_email: string | null
  target_email: string | null
}

const id = (value: string) => encodeURIComponent(value)

export const adminApi = {
  reservoirs: (cursor?: string, limit = 25) => client.request<ReservoirPage>('GET', '/admin/reservoirs', { query: { cursor, limit } }),
  refill: (topicId: string) => client.request<{ topic_id: string; batch_key: string; queued: boolean }>('POST', `/admin/topics/${id(topicId)}/refill`),
  aiUsage: (range: { from: string; to: string }) => client.request<AiUsageReport>('GET', '/admin/ai-usage', { query: range }),
  reports: (options: { status?: UnitStatus; cursor?: string; limit?: number }) =>
    client.request<Page<ReportedUnit>>('GET', '/admin/reports', { query: { status: options.status, cursor: options.cursor, limit: options.limit ?? 20 } }),
  regenerate: (unitId: string) => client.request<RegenerateResult>('POST', `/admin/units/${id(unitId)}/regenerate`),
  retire: (unitId: string) => client.request<{ unit: AdminUnit }>('POST', `/admin/units/${id(unitId)}/retire`),
  restore: (unitId: string) => client.request<{ unit: AdminUnit }>('POST', `/admin/units/${id(unitId)}/restore`),
  users: (options: { q?: string; role?: Role; cursor?: string; limit?: number }) =>
    client.request<Page<AdminUser>>('GET', '/admin/users', { query: { q: options.q || undefined, role: options.role, cursor: options.cursor, limit: options.limit ?? 25 } }),
  setRole: (userId: string, role: Role) => client.request<AdminUser>('PUT', `/admin/users/${id(userId)}/role`, { body: { role } }),
  audit: (options: { action?: string; userId?: string; cursor?: string; limit?: number }) =>
    client.request<Page<AuditEntry>>('GET', '/admin/audit', {
      query: { action: options.action || undefined, user_id: options.userId || undefined, cursor: options.cursor, limit: options.limit ?? 30 },
    }),
}
