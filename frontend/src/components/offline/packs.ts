import type { FeedPack } from '../../lib/api-driving.ts'
import type { FeedUnit } from '../../lib/types.ts'

/**
 * Offline packs: a topic's units and all their audio, kept in a Cache Storage cache of their own
 * so that the service worker's audio cache (capped at 200 entries) never evicts them.
 *
 * Audio is stored under its URL without the query string: the signature changes every time the
 * server signs the URL, the file never does. The service worker's audio rule strips the query the
 * same way and, when its own cache misses, looks here (frontend/vite.config.ts). Each pack's units
 * are one JSON entry in the same cache; a summary per pack (and which of its units were already
 * shown) sits in localStorage so the feed can ask "is this a pack unit?" without waiting.
 */

export const packCacheName = 'noleij-packs'
const indexKey = 'noleij.packs'
/** Units shown are remembered per pack, at most this many each, oldest forgotten first. */
const maxSeen = 2000
/** 64 kbit/s mono MP3 (lib/tts): bytes per millisecond, to estimate a download before it starts. */
const mp3BytesPerMs = 8

export interface PackSummary {
  id: string
  topic: { id: string; title: string }
  minutes: number
  duration_ms: number
  bytes: number
  created_at: string
  unit_ids: string[]
  audio_keys: string[]
  seen: string[]
}

export interface PackProgress {
  units: number
  unitsTotal: number
  bytes: number
  /** An estimate until every file has started (from durations at 64 kbit/s). */
  bytesTotal: number
}

export interface PackStoreDeps {
  caches: () => CacheStorage
  fetch: (input: string, init?: RequestInit) => Promise<Response>
  storage: () => Storage
  now: () => Date
  /** Resolves relative audio URLs and names the units' JSON entries. */
  origin: () => string
}

export class PackDownloadError extends Error {
  readonly status: number
  constructor(status: number) {
    super(`An audio file could not be downloaded (HTTP ${status}).`)
    this.name = 'PackDownloadError'
    this.status = status
  }
}

/** The cache key of an audio URL: absolute, without query or fragment (the signature). */
export function audioKey(url: string, origin: string): string {
  const parsed = new URL(url, origin)
  parsed.search = ''
  parsed.hash = ''
  return parsed.href
}

const packId = (topicId: string, minutes: number) => `${topicId}-${minutes}`

/**
 * Keys only `removed` uses: a file two packs share stays until the last of them goes. `packs` may
 * hold `removed` itself, and a pack replacing it under the same id, whose files stay.
 */
export function orphanedKeys(packs: readonly PackSummary[], removed: PackSummary): string[] {
  const kept = new Set(packs.filter((pack) => pack !== removed).flatMap((pack) => pack.audio_keys))
  return removed.audio_keys.filter((key) => !kept.has(key))
}

/** Pack units not shown yet (nor in `exclude`), newest pack first, in each pack's order. */
function pickUnseen(packs: readonly { summary: PackSummary; units: FeedUnit[] }[], options: { limit: number; exclude: ReadonlySet<string>; audioOnly: boolean }): FeedUnit[] {
  const picked: FeedUnit[] = []
  const taken = new Set(options.exclude)
  const newestFirst = [...packs].sort((a, b) => b.summary.created_at.localeCompare(a.summary.created_at))
  for (const { summary, units } of newestFirst) {
    const seen = new Set(summary.seen)
    for (const unit of units) {
      if (picked.length >= options.limit) return picked
      if (seen.has(unit.id) || taken.has(unit.id) || (options.audioOnly && !unit.audio)) continue
      taken.add(unit.id)
      picked.push(unit)
    }
  }
  return picked
}

export function createPackStore(deps: PackStoreDeps) {
  const unitsKey = (id: string) => `${deps.origin()}/offline-packs/${encodeURIComponent(id)}.json`

  function readIndex(): PackSummary[] {
    try {
      const parsed = JSON.parse(deps.storage().getItem(indexKey) ?? '[]') as unknown
      return Array.isArray(parsed) ? (parsed as PackSummary[]) : []
    } catch {
      return []
    }
  }

  function writeIndex(packs: PackSummary[]) {
    deps.storage().setItem(indexKey, JSON.stringify(packs))
  }

  async function deleteKeys(keys: readonly string[]) {
    if (keys.length === 0) return
    const cache = await deps.caches().open(packCacheName)
    await Promise.all(keys.map((key) => cache.delete(key)))
  }

  /** A stored file's size: the content-length this store wrote, else (an entry without one) its body's. */
  async function storedSize(response: Response): Promise<number> {
    const length = Number(response.headers.get('content-length') ?? Number.NaN)
    return Number.isSafeInteger(length) && length >= 0 ? length : (await response.blob()).size
  }

  /** Reads a response body, reporting bytes as they arrive. */
  async function readBody(response: Response, onBytes: (bytes: number) => void): Promise<Blob> {
    const type = response.headers.get('content-type') ?? 'audio/mpeg'
    if (!response.body) {
      const blob = await response.blob()
      onBytes(blob.size)
      return blob
    }
    const chunks: Uint8Array<ArrayBuffer>[] = []
    const reader = response.body.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value as Uint8Array<ArrayBuffer>)
      onBytes(value.byteLength)
    }
    return new Blob(chunks, { type })
  }

  return {
    /** The packs on this device; ones whose cache entry is gone (sign-out, browser eviction) are dropped. */
    async list(): Promise<PackSummary[]> {
      const packs = readIndex()
      if (packs.length === 0) return []
      const cache = await deps.caches().open(packCacheName)
      const present = await Promise.all(packs.map(async (pack) => !!(await cache.match(unitsKey(pack.id)))))
      const kept = packs.filter((_, index) => present[index])
      if (kept.length !== packs.length) writeIndex(kept)
      return kept.sort((a, b) => b.created_at.localeCompare(a.created_at))
    },

    /**
     * Downloads every audio file of `pack` (one at a time: a phone's link is the bottleneck, and
     * progress stays truthful), then its units. A failure or `signal` abort removes what this
     * download added. A pack for the same topic and length replaces the old one.
     */
    async download(pack: FeedPack, options: { signal?: AbortSignal; onProgress?: (progress: PackProgress) => void } = {}): Promise<PackSummary> {
      const cache = await deps.caches().open(packCacheName)
      const id = packId(pack.topic.id, pack.minutes)
      const withAudio = pack.units.filter((unit) => unit.audio?.url)
      const estimates = withAudio.map((unit) => (unit.audio!.duration_ms ?? 0) * mp3BytesPerMs)
      const progress: PackProgress = { units: 0, unitsTotal: pack.units.length, bytes: 0, bytesTotal: estimates.reduce((sum, bytes) => sum + bytes, 0) }
      const report = () => options.onProgress?.({ ...progress })
      const added: string[] = []
      const keys: string[] = []
      report()
      try {
        for (const [index, unit] of withAudio.entries()) {
          options.signal?.throwIfAborted()
          const key = audioKey(unit.audio!.url, deps.origin())
          keys.push(key)
          let size: number
          const stored = await cache.match(key)
          if (stored) {
            size = await storedSize(stored)
            progress.bytes += size
          } else {
            // no-store: the service worker leaves it out of its own audio cache (no second copy).
            const response = await deps.fetch(unit.audio!.url, { signal: options.signal, cache: 'no-store' })
            if (!response.ok) throw new PackDownloadError(response.status)
            const blob = await readBody(response, (bytes) => {
              progress.bytes += bytes
              report()
            })
            size = blob.size
            options.signal?.throwIfAborted()
            await cache.put(key, new Response(blob, { headers: { 'content-type': blob.type || 'audio/mpeg', 'content-length': String(size), date: deps.now().toUTCString() } }))
            added.push(key)
          }
          progress.bytesTotal += size - estimates[index]!
          progress.units++
          report()
        }
        options.signal?.throwIfAborted()
        await cache.put(unitsKey(id), new Response(JSON.stringify({ topic: pack.topic, minutes: pack.minutes, units: pack.units }), { headers: { 'content-type': 'application/json' } }))
      } catch (error) {
        const others = readIndex()
        const inUse = new Set(others.flatMap((other) => other.audio_keys))
        await deleteKeys(added.filter((key) => !inUse.has(key))).catch(() => {})
        throw error
      }
      progress.units = pack.units.length
      report()
      const summary: PackSummary = {
        id,
        topic: pack.topic,
        minutes: pack.minutes,
        duration_ms: pack.duration_ms,
        bytes: progress.bytes,
        created_at: deps.now().toISOString(),
        unit_ids: pack.units.map((unit) => unit.id),
        audio_keys: [...new Set(keys)],
        seen: [],
      }
      const packs = readIndex()
      const previous = packs.find((existing) => existing.id === id)
      const others = packs.filter((existing) => existing.id !== id)
      if (previous) await deleteKeys(orphanedKeys([...others, summary], previous))
      writeIndex([...others, summary])
      return summary
    },

    async remove(id: string): Promise<void> {
      const packs = readIndex()
      const removed = packs.find((pack) => pack.id === id)
      if (!removed) return
      await deleteKeys([...orphanedKeys(packs, removed), unitsKey(id)])
      writeIndex(packs.filter((pack) => pack.id !== id))
    },

    /** Units from the packs not shown yet, for the feed and the driving queue when offline. */
    async unseenUnits(options: { limit: number; exclude: ReadonlySet<string>; audioOnly: boolean }): Promise<FeedUnit[]> {
      const packs = readIndex()
      if (packs.length === 0) return []
      const cache = await deps.caches().open(packCacheName)
      const loaded = await Promise.all(
        packs.map(async (summary) => {
          const response = await cache.match(unitsKey(summary.id))
          return response ? { summary, units: ((await response.json()) as { units: FeedUnit[] }).units } : null
        }),
      )
      return pickUnseen(
        loaded.filter((entry) => entry !== null),
        options,
      )
    },

    /** Remembers that a pack unit was shown (a no-op for other units), so offline it is not served again. */
    markSeen(unitId: string): void {
      const packs = readIndex()
      const holding = packs.filter((pack) => pack.unit_ids.includes(unitId) && !pack.seen.includes(unitId))
      if (holding.length === 0) return
      for (const pack of holding) {
        pack.seen.push(unitId)
        if (pack.seen.length > maxSeen) pack.seen.splice(0, pack.seen.length - maxSeen)
      }
      writeIndex(packs)
    },
  }
}

export type PackStore = ReturnType<typeof createPackStore>

/** The app's pack store, on the browser's Cache Storage and localStorage. */
export const packStore: PackStore = createPackStore({
  caches: () => globalThis.caches,
  fetch: (input, init) => globalThis.fetch(input, init),
  storage: () => globalThis.localStorage,
  now: () => new Date(),
  origin: () => globalThis.location.origin,
})

/** "12.4 MB": decimal units, as phones show storage. */
export function formatBytes(bytes: number, locale: string): string {
  const units = ['B', 'kB', 'MB', 'GB'] as const
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value)} ${units[unit]}`
}
