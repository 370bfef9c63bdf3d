import { ApiError, isOffline } from './api.ts'
import { hasMessage, t, type MessageKey } from './i18n.ts'

/** A learner-facing sentence for any failure, in the current language when we know the code. */
export function errorMessage(error: unknown): string {
  if (isOffline(error)) return t('error.network')
  if (error instanceof ApiError) {
    if (error.code === 'weak_password') {
      const reason = (error.details as { reason?: string } | undefined)?.reason
      const key = `error.weak_password.${reason}`
      return hasMessage(key) ? t(key) : error.message
    }
    const key = `error.${error.code}`
    if (hasMessage(key)) return t(key as MessageKey)
    if (error.status >= 500) return t('error.unavailable')
    return error.message
  }
  return t('error.generic')
}

/** 404/405/501 from a route that is not deployed yet. */
export function isNotDeployed(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 405 || error.status === 501)
}

/** What `load` gives, or `fallback` when its route is not deployed yet; any other failure is thrown. */
export async function orIfNotDeployed<T>(load: Promise<T>, fallback: T): Promise<T> {
  try {
    return await load
  } catch (failure) {
    if (isNotDeployed(failure)) return fallback
    throw failure
  }
}
