import { describe, expect, it } from 'vitest'
import { OfflineError } from '../../lib/api.ts'
import type { FeedPack } from '../../lib/api-driving.ts'
import type { FeedUnit } from '../../lib/types.ts'
import { withOfflinePacks } from './pack-feed.ts'
import { audioKey, createPackStore, formatBytes, orphanedKeys, packCacheName, type PackProgress, type PackSummary } from './packs.ts'

const origin = 'https://app.example'

/** Cache Storage in memory: enough of the API for the pack store. */
function memoryCaches() {
  const stores = new Map<string, Map<string, Response>>()
  const open = async (name: string) => {
    const entries = stores.get(name) ?? new Map<string, Response>()
    stores.set(name, entries)
    return {
      match: async (key: string) => entries.get(key)?.clone(),
      put: async (key: string, response: Response) => void entries.set(key, response),
      delete: async (key: string) => entries.delete(key),
    }
  }
  return { caches: { open } as unknown as CacheStorage, stores }
}

function memoryStorage(): Storage {
  const values = new Map<string, string>()
  return { getItem: (key: string) => values.get(key) ?? null, setItem: (key: string, value: string) => void values.set(key, value) } as Storage
}

function unit(id: string, audio = true): FeedUnit {
  return {
    id,
    type: 'insight',
    body: { text: id },
    format: audio ? 'audio' : 'text',
    topic: { id: 'sleep', title: 'How sleep works' },
    difficulty: 2,
    reason: { code: 'pack', text: '' },
    audio: audio ? { url: `/api/v1/objects/audio/sleep/${id}.mp3?expires=1&signature=${Math.random()}`, duration_ms: 1000, transcript: null } : null,
  } as FeedUnit
}

function setup(options: { failOn?: string } = {}) {
  const { caches, stores } = memoryCaches()
  const fetched: string[] = []
  const store = createPackStore({
    caches: () => caches,
    storage: (() => {
      const storage = memoryStorage()
      return () => storage
    })(),
    now: () => new Date('2025-03-01T10:00:00Z'),
    origin: () => origin,
    fetch: async (url, init) => {
      fetched.push(url)
      expect(init?.cache).toBe('no-store')
      if (options.failOn && url.includes(options.failOn)) return new Response('gone', { status: 410 })
      // 1000 ms at 64 kbit/s would be 8000 bytes; these files are 5000.
      return new Response(new Uint8Array(5000), { headers: { 'content-type': 'audio/mpeg' } })
    },
  })
  const files = () => [...(stores.get(packCacheName)?.keys() ?? [])]
  return { store, fetched, files }
}

const pack = (minutes: number, units: FeedUnit[]): FeedPack => ({ topic: { id: 'sleep', title: 'How sleep works' }, minutes, units, duration_ms: units.length * 1000 })

describe('audioKey', () => {
  it('drops the signature, so a re-signed URL finds the same file', () => {
    expect(audioKey('/api/v1/objects/audio/a.mp3?expires=1&signature=x#t=3', origin)).toBe(`${origin}/api/v1/objects/audio/a.mp3`)
    expect(audioKey('https://bucket.oss.example/audio/a.mp3?OSSAccessKeyId=k&Signature=s', origin)).toBe('https://bucket.oss.example/audio/a.mp3')
  })
})

describe('the pack store', () => {
  it('downloads every audio file with progress, keyed without the signature, and lists the pack', async () => {
    const { store, fetched, files } = setup()
    const progress: PackProgress[] = []
    const summary = await store.download(pack(15, [unit('a'), unit('b'), unit('quiz', false)]), { onProgress: (step) => progress.push(step) })

    expect(fetched).toHaveLength(2)
    expect(files().sort()).toEqual([`${origin}/api/v1/objects/audio/sleep/a.mp3`, `${origin}/api/v1/objects/audio/sleep/b.mp3`, `${origin}/offline-packs/sleep-15.json`])
    expect(summary).toMatchObject({ id: 'sleep-15', minutes: 15, bytes: 10_000, unit_ids: ['a', 'b', 'quiz'], created_at: '2025-03-01T10:00:00.000Z' })
    // The estimate (2 × 8000 bytes) is corrected to the real sizes as files complete.
    expect(progress[0]).toEqual({ units: 0, unitsTotal: 3, bytes: 0, bytesTotal: 16_000 })
    expect(progress.at(-1)).toEqual({ units: 3, unitsTotal: 3, bytes: 10_000, bytesTotal: 10_000 })
    expect((await store.list()).map((entry) => entry.id)).toEqual(['sleep-15'])
  })

  it('serves unseen units for the offline feed and remembers what was shown', async () => {
    const { store } = setup()
    await store.download(pack(15, [unit('a'), unit('text', false), unit('b')]))
    expect((await store.unseenUnits({ limit: 5, exclude: new Set(), audioOnly: false })).map((entry) => entry.id)).toEqual(['a', 'text', 'b'])
    store.markSeen('a')
    store.markSeen('not-in-a-pack')
    expect((await store.unseenUnits({ limit: 5, exclude: new Set(['b']), audioOnly: false })).map((entry) => entry.id)).toEqual(['text'])
    expect((await store.unseenUnits({ limit: 5, exclude: new Set(), audioOnly: true })).map((entry) => entry.id)).toEqual(['b'])
  })

  it('keeps a file two packs share until the last of them is deleted', async () => {
    const { store, files, fetched } = setup()
    await store.download(pack(15, [unit('a'), unit('b')]))
    await store.download(pack(30, [unit('b'), unit('c')]))
    // b was already on the device: not downloaded twice.
    expect(fetched.filter((url) => url.includes('/b.mp3'))).toHaveLength(1)
    await store.remove('sleep-15')
    expect(files().filter((key) => key.endsWith('.mp3')).sort()).toEqual([`${origin}/api/v1/objects/audio/sleep/b.mp3`, `${origin}/api/v1/objects/audio/sleep/c.mp3`])
    await store.remove('sleep-30')
    expect(files()).toEqual([])
    expect(await store.list()).toEqual([])
  })

  it('replaces a pack of the same topic and length, keeping the files the new one still uses', async () => {
    const { store, files, fetched } = setup()
    await store.download(pack(15, [unit('a'), unit('b')]))
    const summary = await store.download(pack(15, [unit('b'), unit('c')]))
    expect(fetched.filter((url) => url.includes('/b.mp3'))).toHaveLength(1)
    // b's size comes from the stored copy.
    expect(summary).toMatchObject({ id: 'sleep-15', bytes: 10_000, unit_ids: ['b', 'c'] })
    expect(files().sort()).toEqual([`${origin}/api/v1/objects/audio/sleep/b.mp3`, `${origin}/api/v1/objects/audio/sleep/c.mp3`, `${origin}/offline-packs/sleep-15.json`])
    expect((await store.list()).map((entry) => entry.id)).toEqual(['sleep-15'])
  })

  it('removes what a failed or cancelled download added', async () => {
    const failing = setup({ failOn: '/b.mp3' })
    await expect(failing.store.download(pack(15, [unit('a'), unit('b')]))).rejects.toMatchObject({ name: 'PackDownloadError', status: 410 })
    expect(failing.files()).toEqual([])

    const cancelled = setup()
    const controller = new AbortController()
    const download = cancelled.store.download(pack(15, [unit('a'), unit('b')]), {
      signal: controller.signal,
      onProgress: (step) => step.units === 1 && controller.abort(),
    })
    await expect(download).rejects.toMatchObject({ name: 'AbortError' })
    expect(cancelled.files()).toEqual([])
    expect(await cancelled.store.list()).toEqual([])
  })
})

describe('orphanedKeys', () => {
  it('lists the keys only the removed pack uses', () => {
    const summary = (id: string, keys: string[]) => ({ id, audio_keys: keys }) as PackSummary
    const removed = summary('x', ['1', '2', '3'])
    expect(orphanedKeys([removed, summary('y', ['2']), summary('z', ['3', '4'])], removed)).toEqual(['1'])
    // A pack replacing it under the same id keeps its files.
    expect(orphanedKeys([summary('x', ['2', '3']), summary('z', ['4'])], removed)).toEqual(['1'])
  })
})

describe('withOfflinePacks', () => {
  const store = (units: FeedUnit[]) => ({
    unseenUnits: async (options: { limit: number; exclude: ReadonlySet<string> }) => units.filter((entry) => !options.exclude.has(entry.id)).slice(0, options.limit),
  })

  it('leaves an online page alone', async () => {
    const page = { units: [unit('x')] }
    expect(await withOfflinePacks(async () => page, { store: store([unit('a')]), limit: 5, exclude: new Set(), audioOnly: false, online: () => true })).toBe(page)
  })

  it('offline, puts unseen pack units ahead of the kept page, without repeats', async () => {
    const page = await withOfflinePacks(async () => ({ units: [unit('x'), unit('a')] }), { store: store([unit('a'), unit('b'), unit('c')]), limit: 5, exclude: new Set(['c']), audioOnly: false, online: () => false })
    expect(page.units.map((entry) => (entry.kind === 'break' ? 'break' : entry.id))).toEqual(['b', 'x', 'a'])
  })

  it('offline with nothing kept, serves the packs; with no packs either, the offline error stands', async () => {
    const unreachable = async () => {
      throw new OfflineError()
    }
    const page = await withOfflinePacks(unreachable, { store: store([unit('a')]), limit: 5, exclude: new Set(), audioOnly: false, online: () => false })
    expect(page.units).toHaveLength(1)
    await expect(withOfflinePacks(unreachable, { store: store([]), limit: 5, exclude: new Set(), audioOnly: false, online: () => false })).rejects.toBeInstanceOf(OfflineError)
  })
})

describe('formatBytes', () => {
  it('uses decimal units with one decimal below 100', () => {
    expect([formatBytes(512, 'en'), formatBytes(12_345, 'en'), formatBytes(28_800_000, 'en'), formatBytes(1_500_000_000, 'ru')]).toEqual(['512 B', '12.3 kB', '28.8 MB', '1,5 GB'])
  })
})
