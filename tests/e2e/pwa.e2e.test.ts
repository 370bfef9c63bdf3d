import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import path from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import type { Runner } from '../../local-runner/runner.ts'
import { frontendDir } from '../../scripts/ensure-frontend.ts'
import { budgetBytes, measureFrontend } from '../../scripts/measure-frontend.ts'
import sleepPack from '../../lib/content/starter-pack/how-sleep-works.json' with { type: 'json' }
import { answerQuiz, currentUnit, openPhone, screenshot, startE2eRunner, unitSettled, type Phone } from '../support/e2e.ts'

/**
 * The PWA as a learner meets it: Debian's Chromium at a phone's size (390×844, touch) against the
 * local runner on embedded PGlite, serving the built app. Every screen is saved to
 * artifacts/screenshots for CI and the README.
 */
interface PackUnit {
  type: string
  body: Record<string, unknown>
  difficulty: number
}

/**
 * Feed units as GET /api/v1/feed/next serves them (frontend/src/lib/types.ts), made from the
 * starter pack's real content: one of each card kind, quizzes without their answers. The server's
 * side (answers) is kept here to grade like POST /quizzes/:id/answers does.
 */
function servedUnits() {
  const pick = (predicate: (unit: PackUnit) => boolean) => (sleepPack.units as PackUnit[]).find(predicate)!
  const chosen = [
    pick((unit) => unit.type === 'insight' && 'detail' in unit.body),
    pick((unit) => unit.type === 'quiz' && unit.body.kind === 'mcq'),
    pick((unit) => unit.type === 'storyboard'),
    pick((unit) => unit.type === 'quiz' && unit.body.kind === 'true_false' && unit.body.correct === true),
    pick((unit) => unit.type === 'scenario'),
    pick((unit) => unit.type === 'quiz' && unit.body.kind === 'fill_blank'),
    pick((unit) => unit.type === 'analogy'),
  ]
  const answers = new Map<string, { correct: unknown; accept: string[]; explanation: string }>()
  const units = chosen.map((unit, index) => {
    const id = `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`
    const { correct, answer, accept, explanation, ...body } = unit.body as Record<string, unknown>
    if (unit.type === 'quiz') answers.set(id, { correct: correct ?? answer, accept: (accept as string[] | undefined) ?? [], explanation: String(explanation) })
    return {
      id,
      type: unit.type,
      format: unit.type === 'quiz' ? 'quiz' : unit.type === 'storyboard' ? 'visual' : 'text',
      topic: { id: '00000000-0000-4000-8000-00000000aaaa', title: sleepPack.topic.title },
      difficulty: unit.difficulty,
      body: unit.type === 'quiz' ? body : unit.body,
      reason: { code: 'new_topic', text: 'You started following How sleep works.' },
    }
  })
  return { units, answers }
}

describe('the PWA in Chromium', () => {
  let runner: Runner
  let phone: Phone
  let context: BrowserContext
  let page: Page
  const learner = { name: 'Ada', email: `ada-${Date.now()}@example.com`, password: 'correct horse battery staple' }

  const shot = (name: string) => screenshot(page, name)
  const current = () => currentUnit(page)
  const settled = () => unitSettled(page)
  /** The root element's theme and language, as the app set them. */
  const rootState = () => page.evaluate('[document.documentElement.dataset.theme, document.documentElement.lang]') as Promise<[string, string]>

  beforeAll(async () => {
    runner = await startE2eRunner('pwa')
    phone = await openPhone('pwa', runner.url)
    context = phone.context
    page = phone.page
  })

  afterAll(async () => {
    await phone?.close()
    await runner?.stop()
  })

  it('loads at most 60 KB of gzipped JavaScript before the first screen', () => {
    const size = measureFrontend(path.join(frontendDir, 'dist'))
    expect(size.initial.length).toBeGreaterThan(0)
    expect(size.initialGzipBytes).toBeLessThanOrEqual(budgetBytes)
  })

  it('is an installable PWA: a manifest with icons and a service worker', async () => {
    await page.goto('/')
    const manifest = await (await page.request.get('/manifest.webmanifest')).json()
    expect(manifest).toMatchObject({ name: 'Noleij', display: 'standalone', start_url: '/' })
    expect(manifest.icons.map((icon: { sizes: string }) => icon.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']))
    const icon = await page.request.get('/icons/icon-192.png')
    expect(icon.headers()['content-type']).toBe('image/png')
    const scope = await page.evaluate('navigator.serviceWorker.ready.then((registration) => registration.scope)')
    expect(scope).toBe(`${runner.url}/`)
  })

  it('signs up: validation inline, then the app shell and the feed screen', async () => {
    await page.goto('/')
    await expect.poll(() => page.url()).toContain('/sign-in')
    await page.getByRole('heading', { name: 'Welcome back' }).waitFor()
    await shot('sign-in')

    await page.getByRole('link', { name: 'Create account' }).click()
    await page.getByRole('heading', { name: 'Start learning' }).waitFor()
    await page.getByRole('button', { name: 'Create account' }).click()
    const email = page.getByLabel('Email')
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true')
    expect(await page.getByText('Enter your email address.').isVisible()).toBe(true)
    expect(await page.getByText('Enter your password.').isVisible()).toBe(true)
    await shot('sign-up-validation')

    await page.getByLabel('Name (optional)').fill(learner.name)
    await email.fill(learner.email)
    await page.getByLabel('Password', { exact: true }).fill(learner.password)
    await shot('sign-up')
    await page.getByRole('button', { name: 'Create account' }).click()

    await page.getByRole('navigation', { name: 'Main' }).waitFor()
    await page.getByRole('radiogroup', { name: 'What are you doing?' }).waitFor()
    // A new learner follows nothing yet: the feed says so and points to the composer.
    await page.locator('.empty[data-state="empty"]').waitFor()
    expect(await page.locator('article[data-unit-id]').count()).toBe(0)
    await shot('feed-new-learner')
  })

  it('switches the context mode in one tap and stores it as a preference', async () => {
    const driving = page.getByRole('radio', { name: 'Driving' })
    const stored = page.waitForResponse((response) => response.url().endsWith('/api/v1/me/preferences') && response.request().method() === 'PUT')
    await driving.click()
    expect((await stored).status()).toBe(200)
    await expect.poll(() => driving.getAttribute('aria-checked')).toBe('true')
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem('noleij.settings') ?? '{}').mode)).toBe('driving')
    await shot('mode-driving')
    await page.getByRole('radio', { name: 'Idle' }).click()
  })

  it('asks for a topic in the composer and lists it', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Teach me' }).click()
    await page.getByRole('heading', { name: 'Teach me…' }).waitFor()
    const prompt = page.getByLabel('What do you want to learn?')
    await prompt.fill('x')
    await page.getByRole('button', { name: 'Start learning' }).click()
    await page.getByText('Describe the topic in at least 3 characters.').waitFor()

    // Without an AI provider, a topic no starter topic covers says so plainly…
    await prompt.fill('Photosynthesis')
    await page.getByRole('button', { name: 'Start learning' }).click()
    const photosynthesis = page.locator('.topic-list .topic', { hasText: /photosynthesis/i })
    await photosynthesis.getByText('Needs an AI provider', { exact: true }).waitFor()
    // …and one that a starter topic covers is ready at once.
    await prompt.fill('how sleep works')
    await page.getByRole('button', { name: 'Start learning' }).click()
    const sleep = page.locator('.topic-list .topic', { hasText: 'How sleep works' })
    await sleep.getByText('Ready', { exact: true }).waitFor()
    await page.reload()
    await sleep.getByText('Ready', { exact: true }).waitFor()
    expect(await photosynthesis.count()).toBe(1)
    await shot('topics')
  })

  it('serves the followed topic: a unit per screen, a quiz answered, a like and a skip', async () => {
    const eventsSent = page.waitForResponse((response) => response.url().endsWith('/api/v1/feed/events') && response.request().method() === 'POST', { timeout: 30_000 })
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Feed' }).click()
    const articles = page.locator('[role="feed"] article[data-unit-id]')
    await articles.first().waitFor()
    await settled()
    expect(await current().locator('.chip').first().textContent()).toBe('How sleep works')
    await shot('feed')

    await current().getByRole('button', { name: 'Like' }).click()
    expect(await current().getByRole('button', { name: 'Like' }).getAttribute('aria-pressed')).toBe('true')
    const liked = await current().getAttribute('data-unit-id')
    // A quick swipe past the next unit is a skip.
    await page.keyboard.press('ArrowDown')
    await expect.poll(() => current().getAttribute('data-unit-id')).not.toBe(liked)
    await page.keyboard.press('ArrowDown')

    // Move on until a quiz with options comes up (the mix serves one every few units), answer it.
    expect(await answerQuiz(page, 20)).toBe(true)
    await shot('feed-quiz-answered')
    // The like, the skip and the impressions reach the server in a batch, acknowledged after commit.
    expect((await eventsSent).status()).toBe(202)
  })

  it('changes the theme and the language in settings, and both survive a reload', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Me', exact: true }).click()
    await page.getByRole('link', { name: /^Settings/ }).click()
    await page.getByRole('heading', { name: 'Settings' }).waitFor()
    await page.locator('.session').first().waitFor()
    await shot('settings')

    await page.getByRole('radio', { name: 'Dark' }).check()
    await expect.poll(async () => (await rootState())[0]).toBe('dark')
    await page.getByRole('radio', { name: 'Русский' }).check()
    await page.getByRole('heading', { name: 'Настройки' }).waitFor()
    await page.reload()
    await page.getByRole('heading', { name: 'Настройки' }).waitFor()
    expect(await rootState()).toEqual(['dark', 'ru'])
    await shot('settings-dark-ru')

    await page.getByRole('radio', { name: 'English' }).check()
    await page.getByRole('heading', { name: 'Settings' }).waitFor()
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Feed' }).click()
    await page.getByRole('radiogroup', { name: 'What are you doing?' }).waitFor()
    await shot('feed-dark')
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Me', exact: true }).click()
    await page.getByRole('link', { name: /^Settings/ }).click()
    await page.getByRole('radio', { name: 'Light' }).check()
    await expect.poll(async () => (await rootState())[0]).toBe('light')
  })

  it('signs out, refuses a wrong password inline, and signs in again', async () => {
    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    await page.getByRole('heading', { name: 'Welcome back' }).waitFor()
    expect(await page.evaluate(() => localStorage.getItem('noleij.refresh'))).toBeNull()

    await page.getByLabel('Email').fill(learner.email)
    await page.getByLabel('Password', { exact: true }).fill('not the password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('alert').getByText('The email or password is wrong.').waitFor()
    await shot('sign-in-error')

    await page.getByLabel('Password', { exact: true }).fill(learner.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('navigation', { name: 'Main' }).waitFor()
    expect(await page.evaluate(() => localStorage.getItem('noleij.refresh'))).not.toBeNull()

    // The session survives a reload: the refresh token brings back an access token.
    await page.reload()
    await page.getByRole('navigation', { name: 'Main' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/')
  })

  // The feed's answers stubbed at the network layer with real starter-pack units, one of each card
  // kind (the real feed picks its own mix): the cards, quizzes, batching and the offline outbox.
  it('renders each kind of card, answers quizzes with feedback and auto-advance, and batches events', async () => {
    const { units, answers } = servedUnits()
    const events: { type: string; unit_id: string; client_id: string }[] = []
    const answered: { unitId: string; answer: unknown }[] = []
    let pages = 0
    // Emulated offline mode does not stop Playwright's own routes, so they honour it themselves.
    let offline = false
    await context.route('**/api/v1/feed/events', async (route) => {
      events.push(...(route.request().postDataJSON() as { events: typeof events }).events)
      await route.fulfill({ status: 202, json: { accepted: true } })
    })
    await context.route('**/api/v1/quizzes/*/answers', async (route) => {
      if (offline) return route.abort('internetdisconnected')
      const unitId = route.request().url().split('/').at(-2)!
      const { answer } = route.request().postDataJSON() as { answer: unknown }
      answered.push({ unitId, answer })
      const key = answers.get(unitId)!
      const correct = typeof answer === 'string' ? [String(key.correct), ...key.accept].some((accepted) => accepted.toLowerCase() === answer.toLowerCase()) : answer === key.correct
      await route.fulfill({ json: { correct, correct_answer: key.correct, explanation: key.explanation } })
    })

    try {
      // A learner who has seen everything is told so, not asked for a first topic.
      await context.route('**/api/v1/feed/next**', (route) => route.fulfill({ json: { units: [], has_topics: true, pending_audio: 0 } }))
      await page.goto('/')
      await page.getByRole('heading', { name: 'You are all caught up' }).waitFor()
      expect(await page.locator('.empty').getAttribute('data-state')).toBe('caught-up')
      await shot('feed-caught-up')
      await context.unroute('**/api/v1/feed/next**')

      // A server without the feed (404) gets an honest empty state, never invented units.
      await context.route('**/api/v1/feed/next**', (route) => route.fulfill({ status: 404, json: { error: { code: 'not_found', message: 'No such endpoint.', requestId: 'e2e' } } }))
      await page.goto('/')
      await page.locator('.empty[data-state="unavailable"]').waitFor()
      await context.unroute('**/api/v1/feed/next**')
      await context.route('**/api/v1/feed/next**', (route) => (offline ? route.abort('internetdisconnected') : route.fulfill({ json: { units: pages++ === 0 ? units : [] } })))

      await page.goto('/')
      const articles = page.locator('[role="feed"] article[data-unit-id]')
      await expect.poll(() => articles.count()).toBe(units.length)
      await settled()
      expect(await current().getAttribute('data-unit-id')).toBe(units[0]!.id)
      await current().getByRole('button', { name: 'Tell me more' }).click()
      await current().locator('.unit-detail').waitFor()
      await current().getByRole('button', { name: 'Why this?' }).click()
      await current().getByText('You started following How sleep works.').waitFor()
      await current().getByRole('button', { name: 'Like' }).click()
      expect(await current().getByRole('button', { name: 'Like' }).getAttribute('aria-pressed')).toBe('true')
      await shot('card-insight')

      // Arrow keys move one unit per screen.
      await current().focus()
      await page.keyboard.press('ArrowDown')
      await expect.poll(() => current().getAttribute('data-unit-id')).toBe(units[1]!.id)

      // mcq: tap the right option, instant feedback, then the feed moves on by itself.
      const mcq = answers.get(units[1]!.id)!
      await current().locator('.option').nth(mcq.correct as number).click()
      await current().getByText('Correct!').waitFor()
      await settled()
      await shot('card-quiz-feedback')
      await expect.poll(() => current().getAttribute('data-unit-id'), { timeout: 10_000 }).toBe(units[2]!.id)
      expect(await current().locator('.comic-panel').count()).toBeGreaterThanOrEqual(2)
      await settled()
      await shot('card-storyboard')

      // true/false by swiping right (true).
      await page.keyboard.press('ArrowDown')
      await expect.poll(() => current().getAttribute('data-unit-id')).toBe(units[3]!.id)
      await settled()
      const card = await current().locator('.swipe-card').boundingBox()
      await page.mouse.move(card!.x + card!.width / 2, card!.y + card!.height / 2)
      await page.mouse.down()
      await page.mouse.move(card!.x + card!.width / 2 + 140, card!.y + card!.height / 2, { steps: 8 })
      await page.mouse.up()
      await current().getByText('Correct!').waitFor()
      expect(answered.at(-1)).toEqual({ unitId: units[3]!.id, answer: true })

      await expect.poll(() => current().getAttribute('data-unit-id'), { timeout: 10_000 }).toBe(units[4]!.id)
      expect(await current().locator('.dialogue .line').count()).toBeGreaterThanOrEqual(4)
      await settled()
      await shot('card-scenario')

      // fill_blank offline: the answer waits in IndexedDB and is sent when the network returns.
      await page.keyboard.press('ArrowDown')
      await expect.poll(() => current().getAttribute('data-unit-id')).toBe(units[5]!.id)
      offline = true
      await context.setOffline(true)
      await current().getByLabel('Your answer').fill(String(answers.get(units[5]!.id)!.correct))
      await current().getByRole('button', { name: 'Check' }).click()
      await current().getByText('Saved. It will be checked when you are back online.').waitFor()
      await settled()
      await shot('card-fill-blank-offline')
      expect(answered.some((entry) => entry.unitId === units[5]!.id)).toBe(false)
      offline = false
      await context.setOffline(false)
      await expect.poll(() => answered.some((entry) => entry.unitId === units[5]!.id), { timeout: 10_000 }).toBe(true)

      // Offline, a reload still opens the app (precached shell) on the units the service worker kept.
      offline = true
      await context.setOffline(true)
      await page.reload()
      await page.locator('[role="feed"] article[data-unit-id]').first().waitFor()
      expect(await articles.count()).toBe(units.length)
      await settled()
      await shot('offline-reload')
      offline = false
      await context.setOffline(false)

      // The same feed on a desktop screen: one centred column.
      await page.setViewportSize({ width: 1280, height: 800 })
      await settled()
      await shot('desktop-feed')
      await page.setViewportSize({ width: 390, height: 844 })

      // Signals arrive batched, each with its own id: an impression of every unit shown (those of the
      // last ones waited in the outbox across the offline reload), the like.
      const shownIds = units.slice(0, 6).map((unit) => unit.id)
      const impressed = () => new Set(events.filter((event) => event.type === 'impression').map((event) => event.unit_id))
      await expect.poll(() => shownIds.filter((id) => !impressed().has(id)), { timeout: 15_000 }).toEqual([])
      expect(events.some((event) => event.type === 'like' && event.unit_id === units[0]!.id)).toBe(true)
      expect(events.some((event) => event.type === 'expand' && event.unit_id === units[0]!.id)).toBe(true)
      expect(new Set(events.map((event) => event.client_id)).size).toBe(events.length)
    } finally {
      await context.setOffline(false)
      await context.unrouteAll({ behavior: 'ignoreErrors' })
    }
  })
})
