import type { AnyFunction, CronFunction, HttpFunction, WorkerFunction } from '../lib/platform/define.ts'
import health from './http/system/health.ts'
import authRegister from './http/auth/register.ts'
import authLogin from './http/auth/login.ts'
import authRefresh from './http/auth/refresh.ts'
import authLogout from './http/auth/logout.ts'
import authLogoutAll from './http/auth/logout-all.ts'
import authMe from './http/auth/me.ts'
import authPasswordResetRequest from './http/auth/password-reset-request.ts'
import authPasswordResetConfirm from './http/auth/password-reset-confirm.ts'
import authVerifyEmailRequest from './http/auth/verify-email-request.ts'
import authVerifyEmailConfirm from './http/auth/verify-email-confirm.ts'
import meGet from './http/me/get.ts'
import meUpdate from './http/me/update.ts'
import meDelete from './http/me/delete.ts'
import meExport from './http/me/export.ts'
import meSessionsList from './http/me/sessions-list.ts'
import meSessionsDelete from './http/me/sessions-delete.ts'
import adminUsersList from './http/admin/users-list.ts'
import adminUsersSetRole from './http/admin/users-set-role.ts'
import adminAuditList from './http/admin/audit-list.ts'
import adminAiUsage from './http/admin/ai-usage.ts'
import accountMail from './queue/account-mail.ts'
import topicsCreate from './http/topics/create.ts'
import topicsList from './http/topics/list.ts'
import topicsUnfollow from './http/topics/unfollow.ts'
import unitsReport from './http/units/report.ts'
import adminReservoirs from './http/admin/reservoirs.ts'
import adminTopicsRefill from './http/admin/topics-refill.ts'
import adminUnitsRegenerate from './http/admin/units-regenerate.ts'
import adminUnitsRestore from './http/admin/units-restore.ts'
import adminUnitsRetire from './http/admin/units-retire.ts'
import adminReportsList from './http/admin/reports-list.ts'
import refillReservoir from './queue/refill-reservoir.ts'
import regenerateUnits from './queue/regenerate-units.ts'
import synthesizeAudio from './queue/synthesize-audio.ts'
import feedNext from './http/feed/next.ts'
import feedAudioQueue from './http/feed/audio-queue.ts'
import feedEvents from './http/feed/events.ts'
import feedPack from './http/feed/pack.ts'
import meSavedList from './http/me/saved-list.ts'
import meSavedDelete from './http/me/saved-delete.ts'
import feedPreferencesUpdate from './http/feed/preferences-update.ts'
import feedPreferencesGet from './http/feed/preferences-get.ts'
import quizzesAnswer from './http/quizzes/answer.ts'
import authCleanup from './cron/auth-cleanup.ts'
import sweepUploads from './cron/sweep-uploads.ts'
import sourcesCreate from './http/sources/create.ts'
import sourcesUploadUrl from './http/sources/upload-url.ts'
import sourcesList from './http/sources/list.ts'
import sourcesGet from './http/sources/get.ts'
import sourcesDelete from './http/sources/delete.ts'
import sourcesUnits from './http/sources/units.ts'
import ingestSource from './queue/ingest-source.ts'
import mePersonalizationGet from './http/me/personalization-get.ts'
import mePersonalizationReset from './http/me/personalization-reset.ts'
import meProgress from './http/me/progress.ts'
import meReviewsCsv from './http/me/reviews-csv.ts'
import meReviewsJson from './http/me/reviews-json.ts'
import summariesToday from './http/summaries/today.ts'
import summariesList from './http/summaries/list.ts'
import dailySummary from './cron/daily-summary.ts'
import unitsAsk from './http/units/ask.ts'
import unitsBranch from './http/units/branch.ts'
import branchesGet from './http/branches/get.ts'

/**
 * Every deployable function, once. The name is the FC function name (prefixed `noleij-` in
 * serverless.yml) and what `FUNCTION=` and `npm run invoke` take.
 */
export const registry = {
  health,
  'auth-register': authRegister,
  'auth-login': authLogin,
  'auth-refresh': authRefresh,
  'auth-logout': authLogout,
  'auth-logout-all': authLogoutAll,
  'auth-me': authMe,
  'auth-password-reset-request': authPasswordResetRequest,
  'auth-password-reset-confirm': authPasswordResetConfirm,
  'auth-verify-email-request': authVerifyEmailRequest,
  'auth-verify-email-confirm': authVerifyEmailConfirm,
  'me-get': meGet,
  'me-update': meUpdate,
  'me-delete': meDelete,
  'me-export': meExport,
  'me-sessions-list': meSessionsList,
  'me-sessions-delete': meSessionsDelete,
  'admin-users-list': adminUsersList,
  'admin-users-set-role': adminUsersSetRole,
  'admin-audit-list': adminAuditList,
  'admin-ai-usage': adminAiUsage,
  'account-mail': accountMail,
  'topics-create': topicsCreate,
  'topics-list': topicsList,
  'topics-unfollow': topicsUnfollow,
  'units-report': unitsReport,
  'admin-reservoirs': adminReservoirs,
  'admin-topics-refill': adminTopicsRefill,
  'admin-units-regenerate': adminUnitsRegenerate,
  'admin-units-restore': adminUnitsRestore,
  'admin-units-retire': adminUnitsRetire,
  'admin-reports-list': adminReportsList,
  'refill-reservoir': refillReservoir,
  'regenerate-units': regenerateUnits,
  'synthesize-audio': synthesizeAudio,
  'feed-next': feedNext,
  'feed-audio-queue': feedAudioQueue,
  'feed-events': feedEvents,
  'feed-pack': feedPack,
  'me-saved-list': meSavedList,
  'me-saved-delete': meSavedDelete,
  'feed-preferences-get': feedPreferencesGet,
  'feed-preferences-update': feedPreferencesUpdate,
  'quizzes-answer': quizzesAnswer,
  'auth-cleanup': authCleanup,
  'sweep-uploads': sweepUploads,
  'sources-create': sourcesCreate,
  'sources-upload-url': sourcesUploadUrl,
  'sources-list': sourcesList,
  'sources-get': sourcesGet,
  'sources-delete': sourcesDelete,
  'sources-units': sourcesUnits,
  'ingest-source': ingestSource,
  'me-personalization-get': mePersonalizationGet,
  'me-personalization-reset': mePersonalizationReset,
  'me-progress': meProgress,
  'me-reviews-csv': meReviewsCsv,
  'me-reviews-json': meReviewsJson,
  'summaries-today': summariesToday,
  'summaries-list': summariesList,
  'daily-summary': dailySummary,
  'units-ask': unitsAsk,
  'units-branch': unitsBranch,
  'branches-get': branchesGet,
} satisfies Record<string, AnyFunction>

export type FunctionName = keyof typeof registry

export const functionNames = Object.keys(registry) as FunctionName[]

export function httpFunctions(): [string, HttpFunction][] {
  return Object.entries(registry as Record<string, AnyFunction>).filter((entry): entry is [string, HttpFunction] => entry[1].kind === 'http')
}

export function workerFunctions(): [string, WorkerFunction][] {
  return Object.entries(registry as Record<string, AnyFunction>).filter((entry): entry is [string, WorkerFunction] => entry[1].kind === 'worker')
}

export function cronFunctions(): [string, CronFunction][] {
  return Object.entries(registry as Record<string, AnyFunction>).filter((entry): entry is [string, CronFunction] => entry[1].kind === 'cron')
}

export function findFunction(name: string): AnyFunction | undefined {
  return (registry as Record<string, AnyFunction>)[name]
}
