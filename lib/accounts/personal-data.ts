import type { Ctx } from '../context.ts'
import { accountSection } from './account-data.ts'
import { aiUsageSection } from '../ai/personal-data.ts'
import { contentSection } from '../content/personal-data.ts'
import { feedSection } from '../feed/api/personal-data.ts'
import { sourcesSection } from '../sources/personal-data.ts'
import { summariesSection } from '../feed/api/summaries.ts'
import { questionsSection } from '../feed/api/ask.ts'
import { branchesSection } from '../feed/api/branch.ts'
import { savedUnitsSection } from '../feed/api/saved.ts'
import { audioSection } from '../tts/personal-data.ts'

/**
 * Each capability that keeps personal data describes it here once, and `GET /api/v1/me/export` and
 * `DELETE /api/v1/me` follow this list. Rows in tables referencing `users(id) on delete cascade`
 * disappear with the account by themselves; `erase` is for everything else (data keyed otherwise,
 * external services, caches). Objects under `users/<id>/` in storage are always deleted
 * (`userObjectPrefix`), so store personal objects there.
 *
 * To add a capability: write `export const feedSection: PersonalDataSection = {...}` beside its code
 * and append it to `personalDataSections`. A plain list rather than self-registration at import
 * time, so a function deployed alone on FC still sees every section.
 */
export interface PersonalDataSection {
  /** The key of this section in the export. */
  name: string
  /** Everything this capability holds about the user, as JSON-serializable data. */
  export?(ctx: Ctx, userId: string): Promise<unknown>
  /** Runs before the user row is deleted; must be idempotent (a failed deletion is retried by the user). */
  erase?(ctx: Ctx, userId: string): Promise<void>
}

export const personalDataSections: PersonalDataSection[] = [accountSection, aiUsageSection, contentSection, feedSection, summariesSection, questionsSection, branchesSection, savedUnitsSection, sourcesSection, audioSection]

export function userObjectPrefix(userId: string): string {
  return `users/${userId}/`
}
