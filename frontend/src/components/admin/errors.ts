import { ApiError } from '../../lib/api.ts'
import { errorMessage } from '../../lib/messages.ts'

/**
 * Like errorMessage, but an admin sees the server's own reason for a 503 (e.g. "Regenerating a
 * unit needs an AI provider…") instead of the learner's generic "unavailable": it says what to fix.
 */
export function adminErrorMessage(error: unknown): string {
  if (error instanceof ApiError && error.status === 503 && error.code === 'unavailable' && error.message) return error.message
  return errorMessage(error)
}
