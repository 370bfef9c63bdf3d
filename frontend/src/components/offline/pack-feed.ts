import { isOffline } from '../../lib/api.ts'
import type { FeedPage, FeedUnit } from '../../lib/types.ts'
import type { PackStore } from './packs.ts'

/**
 * The feed while offline: the service worker answers `feed/next` with the last page it kept (units
 * the learner has mostly seen), or not at all. Downloaded packs add what has not been shown yet,
 * ahead of that page; with neither, the offline error stands.
 */
export async function withOfflinePacks(
  load: () => Promise<FeedPage>,
  options: { store: Pick<PackStore, 'unseenUnits'>; limit: number; exclude: ReadonlySet<string>; audioOnly: boolean; online: () => boolean },
): Promise<FeedPage> {
  let page: FeedPage | null = null
  let failure: unknown
  try {
    page = await load()
  } catch (error) {
    if (!isOffline(error)) throw error
    failure = error
  }
  if (page && options.online()) return page
  const listed = new Set([...options.exclude, ...(page?.units ?? []).flatMap((item) => (item.kind === 'break' ? [] : [item.id]))])
  let extra: FeedUnit[] = []
  try {
    extra = await options.store.unseenUnits({ limit: options.limit, exclude: listed, audioOnly: options.audioOnly })
  } catch {
    // No Cache Storage (private mode) or a damaged entry: the page alone, as before packs.
  }
  if (!page) {
    if (extra.length === 0) throw failure
    return { units: extra }
  }
  return { ...page, units: [...extra, ...page.units] }
}
