import { AppError } from '../errors.ts'
import type { Ctx } from '../context.ts'
import type { AuthLevel, AuthUser, RateLimitClass } from '../platform/define.ts'
import type { RateLimitResult } from '../kv/index.ts'

/** Limits per class: hits allowed per window. `signup` and `login` are keyed by their handlers. */
export const rateLimits = {
  general: { limit: 60, windowSeconds: 60 },
  ai: { limit: 5, windowSeconds: 60 },
  signup: { limit: 5, windowSeconds: 60 },
  login: { limit: 10, windowSeconds: 60 },
  /** Requests that send mail (password reset, verification), per IP. */
  mail: { limit: 5, windowSeconds: 60 },
  /** Mail queued for one address; beyond it requests are dropped without telling the caller. */
  mailPerAddress: { limit: 5, windowSeconds: 3600 },
} as const

/**
 * Every signed-in call counts against the general per-user limit; functions that declare `ai`
 * also count against the AI limit. Anonymous calls are limited by their own handlers (signup, login).
 */
export async function enforceRateLimit(ctx: Ctx, fn: { rateLimit?: RateLimitClass; auth: AuthLevel }, caller: { user: AuthUser | null; ip: string }) {
  if (fn.rateLimit === 'none' || !caller.user) return
  await hit(ctx, `general:${caller.user.id}`, rateLimits.general)
  if (fn.rateLimit === 'ai') await hitAiLimit(ctx, caller.user.id)
}

/** Counts one AI-heavy request of the user, for handlers that decide from the request whether it is one. */
export function hitAiLimit(ctx: Ctx, userId: string): Promise<void> {
  return hit(ctx, `ai:${userId}`, rateLimits.ai)
}

/** Counts one hit and tells whether it was within the limit, for callers that must not answer 429. */
export async function countHit(ctx: Pick<Ctx, 'kv'>, key: string, rule: { limit: number; windowSeconds: number }): Promise<RateLimitResult> {
  return ctx.kv.rateLimit(`rl:${key}`, rule.limit, rule.windowSeconds)
}

export async function hit(ctx: Ctx, key: string, rule: { limit: number; windowSeconds: number }) {
  const result = await countHit(ctx, key, rule)
  if (!result.allowed) {
    throw new AppError('rate_limited', { headers: { 'Retry-After': String(Math.max(1, Math.ceil(result.retryAfterSeconds))) } })
  }
}
