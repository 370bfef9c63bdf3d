import type { ContextMode, FeedPage } from '../../lib/types.ts'

/**
 * What the feed screen shows. An empty feed says why: no topic yet (`empty`), everything seen
 * (`caught-up`), or while driving, audio on its way (`voicing`, asked for again until it comes) or
 * none left to hear (`quiet`).
 */
export type Phase = 'loading' | 'ready' | 'empty' | 'caught-up' | 'voicing' | 'quiet' | 'unavailable' | 'offline' | 'error'

/** Why a page has nothing (a server without `has_topics` reads as a learner without topics). */
export function emptyPhase(page: Pick<FeedPage, 'has_topics' | 'pending_audio'>, mode: ContextMode): Phase {
  if (!page.has_topics) return 'empty'
  if (mode !== 'driving') return 'caught-up'
  return page.pending_audio ? 'voicing' : 'quiet'
}
