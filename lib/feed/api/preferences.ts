import type { Ctx } from '../../context.ts'
import type { AuthUser } from '../../platform/define.ts'
import { findPreferences, upsertPreferences } from '../../db/feed.ts'
import { applyPreferences } from '../preferences.ts'
import type { PreferencesUpdate } from '../preferences.ts'
import { preferencesFromRow, rowFromPreferences } from './state.ts'

/**
 * `GET` and `PUT /api/v1/me/preferences`: what the learner chose (defaults until they choose); the
 * ranking reads it on every request.
 */

export interface PreferencesView {
  context_mode: string
  difficulty: string
  formats: string[]
  pinned_formats: Record<string, string>
  voice: string | null
  daily_goal: number
  break_minutes: number
  timezone: string
}

export async function getPreferences(ctx: Ctx, user: AuthUser): Promise<PreferencesView> {
  const { preferences: row, timezone } = await findPreferences(ctx.sql, user.id)
  return { ...rowFromPreferences(preferencesFromRow(row, timezone), row?.voice ?? null), timezone }
}

export async function updatePreferences(ctx: Ctx, user: AuthUser, update: PreferencesUpdate): Promise<PreferencesView> {
  const { preferences: row, timezone } = await findPreferences(ctx.sql, user.id)
  const next = applyPreferences(preferencesFromRow(row, timezone), update)
  const voice = update.voice !== undefined ? update.voice : (row?.voice ?? null)
  const stored = rowFromPreferences(next, voice)
  await upsertPreferences(ctx.sql, user.id, stored, ctx.clock.now())
  return { ...stored, timezone }
}
