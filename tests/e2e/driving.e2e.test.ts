import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page, Response } from 'playwright-core'
import type { Runner } from '../../local-runner/runner.ts'
import { dismissToasts, openPhone, screenshot, signUp, startE2eRunner, type Phone } from '../support/e2e.ts'

/**
 * Hands-free driving, offline packs and the learning settings in Chromium at a phone's size, against
 * the local runner on embedded PGlite. No AI or TTS provider: the starter pack's units are voiced
 * by the offline espeak engine through the runner's own queue consumer, so the audio is real MP3.
 */
interface SentEvent {
  type: string
  unit_id: string
  mode?: string
  progress?: number
}

describe('hands-free driving, offline packs and learning settings in Chromium', () => {
  let runner: Runner
  let phone: Phone
  let context: BrowserContext
  let page: Page
  const events: SentEvent[] = []
  const learner = { email: `dora-${Date.now()}@example.com`, password: 'correct horse battery staple' }

  /** Toasts are dismissed first: they would cover the screen being shown. */
  const shot = async (name: string) => {
    await dismissToasts(page)
    await screenshot(page, name)
  }
  const nav = () => page.getByRole('navigation', { name: 'Main' })
  // Browser-side code is passed as text: this project's type-check has no DOM library.
  /** The player holding the current unit, as the view marks it. */
  const currentAudio = () =>
    page.evaluate(`(() => {
      const audio = document.querySelector('.driving audio[data-role="current"]')
      return audio ? { unitId: audio.dataset.unitId ?? '', paused: audio.paused, time: audio.currentTime, duration: audio.duration } : null
    })()`) as Promise<{ unitId: string; paused: boolean; time: number; duration: number } | null>
  const mediaTitle = () => page.evaluate('navigator.mediaSession.metadata?.title') as Promise<string | undefined>
  const lockScreen = (action: string, details: Record<string, unknown> = {}) =>
    page.evaluate(`window.mediaHandlers[${JSON.stringify(action)}](${JSON.stringify({ action, ...details })})`)

  beforeAll(async () => {
    // Signed audio URLs carry PUBLIC_BASE_URL, which must be the page's origin.
    runner = await startE2eRunner('driving', { QUEUE_POLL_INTERVAL_MS: '100' }, { knownPort: true })
    // A car's Bluetooth "play" is a user gesture the test cannot make.
    phone = await openPhone('driving', runner.url, { args: ['--autoplay-policy=no-user-gesture-required'] })
    context = phone.context
    page = phone.page
    // The lock screen's buttons cannot be pressed from a test: keep the handlers the app hands the
    // Media Session, to call them as the lock screen (or a car's steering wheel) would.
    await context.addInitScript(`(() => {
      const session = navigator.mediaSession
      if (!session) return
      const set = session.setActionHandler.bind(session)
      window.mediaHandlers = {}
      session.setActionHandler = (action, handler) => {
        window.mediaHandlers[action] = handler
        set(action, handler)
      }
    })()`)
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/v1/feed/events')) events.push(...(request.postDataJSON() as { events: SentEvent[] }).events)
    })
  })

  afterAll(async () => {
    await phone?.close()
    await runner?.stop()
  })

  it('signs up and follows a starter topic', async () => {
    await signUp(page, learner)
    await nav().getByRole('link', { name: 'Teach me' }).click()
    await page.getByLabel('What do you want to learn?').fill('how sleep works')
    await page.getByRole('button', { name: 'Start learning' }).click()
    await page.locator('.topic-list .topic', { hasText: 'How sleep works' }).getByText('Ready', { exact: true }).waitFor()
  })

  it('offers the hands-free view on Driving, plays the queue with lock-screen controls and chains units', async () => {
    const queued = new Set<string>()
    const onQueue = async (response: Response) => {
      if (!response.url().includes('/api/v1/feed/audio-queue') || !response.ok()) return
      for (const unit of ((await response.json()) as { units: { id: string }[] }).units) queued.add(unit.id)
    }
    page.on('response', onQueue)
    await nav().getByRole('link', { name: 'Feed' }).click()
    await page.getByRole('radio', { name: 'Driving' }).click()
    // The feed offers it twice: in the mode switcher's popover and as a button on the feed.
    await page.locator('.hands-free-link').waitFor()
    await page.locator('.drive-offer').getByRole('link', { name: 'Hands-free view' }).click()
    await expect.poll(() => new URL(page.url()).pathname).toBe('/driving')

    // The starter pack has no audio yet: the queue asks for it and says so until the first is ready.
    const title = page.locator('.driving-title')
    await Promise.race([page.locator('.driving-state[data-state="preparing"]').waitFor({ timeout: 60_000 }), title.waitFor({ timeout: 60_000 })])
    if (await page.locator('.driving-state[data-state="preparing"]').isVisible()) {
      await page.getByRole('heading', { name: 'Preparing audio…' }).waitFor()
      await shot('driving-preparing')
    }
    await title.waitFor({ timeout: 60_000 })

    // It starts by itself: no tap needed (the Start button appears only when the browser refuses).
    await expect.poll(async () => (await currentAudio())?.time ?? 0, { timeout: 20_000 }).toBeGreaterThan(0)
    const first = (await currentAudio())!
    expect(first.paused).toBe(false)
    expect(await title.getAttribute('data-unit-id')).toBe(first.unitId)
    const metadata = await page.evaluate('({ title: navigator.mediaSession.metadata?.title, artist: navigator.mediaSession.metadata?.artist, artwork: navigator.mediaSession.metadata?.artwork.length })')
    expect(metadata).toEqual({ title: (await title.textContent())!.trim(), artist: 'How sleep works', artwork: 2 })
    expect(await page.evaluate('navigator.mediaSession.playbackState')).toBe('playing')
    // Every control is big enough to hit at arm's length.
    const small = await page.evaluate(`[...document.querySelectorAll('.driving button, .driving a')].filter((element) => {
      const box = element.getBoundingClientRect()
      return box.height < 72 || box.width < 72
    }).length`)
    expect(small).toBe(0)
    await shot('driving')

    // A second unit must be queued (more are voiced meanwhile and the view keeps asking) and preloaded.
    await expect.poll(async () => Number((await page.locator('.driving-count [aria-hidden]').textContent())?.split('/')[1]), { timeout: 60_000, interval: 1000 }).toBeGreaterThanOrEqual(2)
    await expect.poll(() => page.evaluate(`document.querySelector('.driving audio[data-role="next"]')?.dataset.unitId ?? ''`)).not.toBe('')
    // Near the end of the first unit; when it ends, the next one plays at once.
    await page.evaluate(`(() => {
      const audio = document.querySelector('.driving audio[data-role="current"]')
      audio.currentTime = Math.max(0, audio.duration - 0.4)
    })()`)
    await expect.poll(async () => (await currentAudio())?.unitId, { timeout: 15_000 }).not.toBe(first.unitId)
    await expect.poll(async () => (await currentAudio())?.time ?? 0, { timeout: 15_000 }).toBeGreaterThan(0)
    const second = (await currentAudio())!
    expect(second.paused).toBe(false)
    expect(await title.getAttribute('data-unit-id')).toBe(second.unitId)
    expect(await mediaTitle()).toBe((await title.textContent())!.trim())

    // "Next" skips: the second unit is reported as a skip.
    await page.getByRole('button', { name: 'Next' }).click()
    await expect.poll(async () => (await currentAudio())?.unitId, { timeout: 15_000 }).not.toBe(second.unitId)
    const third = (await currentAudio())!.unitId

    // The lock screen's controls drive the same player: pause, play, seek, previous and next.
    await lockScreen('pause')
    await expect.poll(async () => (await currentAudio())?.paused).toBe(true)
    expect(await page.evaluate('navigator.mediaSession.playbackState')).toBe('paused')
    await lockScreen('play')
    await expect.poll(async () => (await currentAudio())?.paused).toBe(false)
    await lockScreen('seekto', { seekTime: 1 })
    expect((await currentAudio())!.time).toBeGreaterThanOrEqual(1)
    expect((await currentAudio())!.time).toBeLessThan(3)
    // Fifteen seconds back from about one: the start, not a negative time.
    await lockScreen('seekbackward')
    expect((await currentAudio())!.time).toBeLessThan(1)
    await lockScreen('previoustrack')
    await expect.poll(async () => (await currentAudio())?.unitId, { timeout: 15_000 }).toBe(second.unitId)
    await lockScreen('nexttrack')
    await expect.poll(async () => (await currentAudio())?.unitId, { timeout: 15_000 }).toBe(third)
    // Events go through the batcher: impression, progress and completion of the first, a skip of the second.
    await expect
      .poll(() => events.some((event) => event.type === 'skip' && event.unit_id === second.unitId), { timeout: 15_000 })
      .toBe(true)
    expect(events.some((event) => event.type === 'impression' && event.unit_id === first.unitId && event.mode === 'driving')).toBe(true)
    expect(events.some((event) => event.type === 'audio_progress' && event.unit_id === first.unitId && event.progress === 0.75)).toBe(true)
    expect(events.some((event) => event.type === 'complete' && event.unit_id === first.unitId)).toBe(true)

    await page.getByRole('button', { name: 'Exit' }).click()
    await expect.poll(() => new URL(page.url()).pathname).toBe('/')
    // Leaving hands the lock screen back: no controls of a view that is gone ("previous" is the
    // driving view's alone; the feed's own card may already have taken play, pause and next).
    expect(await page.evaluate('window.mediaHandlers.previoustrack')).toBeNull()

    // The drive ended early: what was queued but never started is still new, so the feed (still
    // Driving) offers it rather than saying nothing is left.
    page.off('response', onQueue)
    const started = new Set(events.filter((event) => event.type === 'impression' && event.mode === 'driving').map((event) => event.unit_id))
    const unplayed = [...queued].filter((id) => !started.has(id))
    expect(unplayed.length).toBeGreaterThan(0)
    const offered = page.locator('[role="feed"] article[data-unit-id]')
    await offered.first().waitFor({ timeout: 15_000 })
    const ids = await offered.evaluateAll((articles) => articles.map((article) => article.getAttribute('data-unit-id')))
    expect(ids.some((id) => id !== null && unplayed.includes(id))).toBe(true)
  })

  it('downloads a 15-minute offline pack and serves its units when offline', async () => {
    await nav().getByRole('link', { name: 'Me', exact: true }).click()
    await page.getByRole('link', { name: /Offline pack/ }).click()
    await page.getByRole('heading', { name: 'Offline pack', level: 1 }).waitFor()
    await page.getByLabel('Topic').selectOption({ label: 'How sleep works' })
    await page.getByRole('radio', { name: '15 min' }).check()
    await page.getByRole('button', { name: 'Download' }).click()
    const pack = page.locator('.pack', { hasText: 'How sleep works' })
    await pack.waitFor({ timeout: 60_000 })
    expect(await pack.textContent()).toContain('15 min')
    await page.getByText(/This app uses .* of the .* the browser allows\./).waitFor()
    await shot('offline-pack')

    const stored = (await page.evaluate(`JSON.parse(localStorage.getItem('noleij.packs') ?? '[]')`)) as { unit_ids: string[]; audio_keys: string[] }[]
    expect(stored).toHaveLength(1)
    const packUnits = new Set(stored[0]!.unit_ids)
    expect(packUnits.size).toBeGreaterThan(0)
    expect(stored[0]!.audio_keys.length).toBeGreaterThan(0)

    await context.setOffline(true)
    try {
      await page.goto('/')
      const articles = page.locator('[role="feed"] article[data-unit-id]')
      await articles.first().waitFor()
      const shown = await articles.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-unit-id')))
      expect(shown.some((id) => id !== null && packUnits.has(id))).toBe(true)
      // The pack's audio answers offline through the service worker, whole or by range.
      const key = stored[0]!.audio_keys[0]!
      const answers = await page.evaluate(`(async () => {
        const signed = ${JSON.stringify(`${key}?expires=1&signature=stale`)}
        const whole = await fetch(signed)
        const range = await fetch(signed, { headers: { range: 'bytes=0-99' } })
        return [whole.status, whole.headers.get('content-type'), range.status, (await range.arrayBuffer()).byteLength]
      })()`)
      expect(answers).toEqual([200, 'audio/mpeg', 206, 100])
      await shot('offline-feed-pack')
    } finally {
      await context.setOffline(false)
    }
  })

  it('stores difficulty, voice, daily goal and break reminder, and explains what was learned', async () => {
    await page.goto('/settings')
    await page.getByRole('heading', { name: 'Learning' }).waitFor()
    const saved = () => page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor()
    await page.getByRole('radio', { name: 'Harder' }).check()
    await saved()
    await page.getByRole('radio', { name: 'Male', exact: true }).check()
    await saved()
    await page.getByLabel('Daily goal').selectOption('20')
    await saved()
    await page.getByLabel('Break reminder').selectOption('0')
    await saved()

    await page.reload()
    await page.getByRole('heading', { name: 'Learning' }).waitFor()
    await expect.poll(() => page.getByRole('radio', { name: 'Harder' }).isChecked()).toBe(true)
    expect(await page.getByRole('radio', { name: 'Male', exact: true }).isChecked()).toBe(true)
    expect(await page.getByLabel('Daily goal').inputValue()).toBe('20')
    expect(await page.getByLabel('Break reminder').inputValue()).toBe('0')

    const learned = page.locator('section.learned')
    await learned.getByText('You asked for harder units.').waitFor()
    await page.evaluate(`document.querySelector('section.learning-settings').scrollIntoView({ block: 'start' })`)
    await shot('settings-learning')
    await page.evaluate(`document.querySelector('section.learned').scrollIntoView({ block: 'start' })`)
    await shot('settings-learned')
    await learned.getByRole('button', { name: 'Forget what was learned' }).click()
    await learned.getByRole('button', { name: 'Forget', exact: true }).click()
    await page.getByText('Forgotten. The feed starts learning again.').waitFor()
  })

  it('forgets the offline packs on sign-out, so the next learner on the device sees none', async () => {
    expect(await page.evaluate(`caches.has('noleij-packs')`)).toBe(true)
    expect(await page.evaluate(`localStorage.getItem('noleij.packs')`)).not.toBeNull()
    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    await page.getByRole('heading', { name: 'Welcome back' }).waitFor()
    expect(await page.evaluate(`caches.has('noleij-packs')`)).toBe(false)
    expect(await page.evaluate(`localStorage.getItem('noleij.packs')`)).toBeNull()
  })

  it('tells a learner driving that audio is on its way, then plays it by itself with lock-screen controls', async () => {
    await signUp(page, { email: `eli-${Date.now()}@example.com`, password: learner.password })
    await nav().getByRole('link', { name: 'Teach me' }).click()
    await page.getByLabel('What do you want to learn?').fill('stoicism')
    await page.getByRole('button', { name: 'Start learning' }).click()
    await page.locator('.topic-list .topic', { hasText: 'Stoicism' }).getByText('Ready', { exact: true }).waitFor()
    await page.getByRole('radio', { name: 'Driving' }).click()
    await nav().getByRole('link', { name: 'Feed' }).click()

    // Nothing of this topic is voiced yet: the feed says audio is on its way (not "pick a topic")…
    await page.getByRole('heading', { name: 'Preparing audio for the road' }).waitFor()
    expect(await page.locator('.empty').getAttribute('data-state')).toBe('voicing')
    await shot('feed-voicing')
    // …asks again while the worker voices it, and plays the first clip by itself.
    const playingCard = () =>
      page.evaluate(`[...document.querySelectorAll('[role="feed"] .player audio')].find((audio) => !audio.paused && audio.currentTime > 0)?.closest('article')?.dataset.unitId ?? null`)
    await expect.poll(playingCard, { timeout: 60_000, interval: 500 }).not.toBeNull()
    const card = (await playingCard())!

    // The feed's audio card takes the lock screen.
    expect(await mediaTitle()).toBeTruthy()
    await lockScreen('pause')
    await expect.poll(playingCard).toBeNull()
    await lockScreen('play')
    await expect.poll(playingCard).toBe(card)
    await lockScreen('seekto', { seekTime: 1 })
    expect(await page.evaluate(`document.querySelector('[data-unit-id="${card}"] .player audio').currentTime`)).toBeLessThan(3)
    await lockScreen('pause')
  })
})
