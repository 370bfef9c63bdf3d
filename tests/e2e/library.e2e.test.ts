import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import path from 'node:path'
import type { Page } from 'playwright-core'
import type { Runner } from '../../local-runner/runner.ts'
import { corpusDir } from '../support/corpus.ts'
import { answerQuiz, currentUnit, dismissToasts, nextUnit, openPhone, screenshot, signUp, startE2eRunner, unitSettled, type Phone } from '../support/e2e.ts'

/**
 * The learner's own material and record in Chromium at a phone's size, against the local runner on
 * embedded PGlite with no AI provider (the offline generator writes the units): upload a real PDF
 * from the shared corpus and watch it being read, see a failing one explained, meet a unit citing
 * it in the feed, save it, answer a quiz, then Today, Progress, Saved and the Me hub.
 */
const goodDocument = path.join(corpusDir, 'pdf/tracemonkey.pdf')
// Encrypted with a password: the ingest ends it as failed with `encrypted_pdf`.
const lockedDocument = path.join(corpusDir, 'pdf/issue21579.pdf')

describe('library, today, progress, saved and the Me hub in Chromium', () => {
  let runner: Runner
  let phone: Phone
  let page: Page
  let savedUnitId: string | null = null
  const learner = { name: 'Grace', email: `grace-${Date.now()}@example.com`, password: 'correct horse battery staple' }

  /** Toasts are dismissed first: they would cover the screen being shown. */
  const shot = async (name: string, options: { top?: boolean } = {}) => {
    await dismissToasts(page)
    if (options.top) await page.locator('#main').evaluate((main) => main.scrollTo(0, 0))
    await screenshot(page, name)
  }
  const nav = () => page.getByRole('navigation', { name: 'Main' })
  const current = () => currentUnit(page)
  const settled = () => unitSettled(page)

  beforeAll(async () => {
    // The signed upload URLs carry PUBLIC_BASE_URL, so the port must be known before the runner starts.
    runner = await startE2eRunner('library', {}, { knownPort: true })
    phone = await openPhone('library', runner.url, { acceptDownloads: true })
    page = phone.page
  })

  afterAll(async () => {
    await phone?.close()
    await runner?.stop()
  })

  it('signs up and shows five tabs that fit a 360 px screen', async () => {
    await signUp(page, learner)
    const labels = await nav().getByRole('link').allTextContents()
    expect(labels.map((label) => label.trim())).toEqual(['Feed', 'Teach me', 'Library', 'Today', 'Me'])
    expect(await nav().getByRole('link', { name: 'Feed' }).getAttribute('aria-current')).toBe('page')

    await page.setViewportSize({ width: 360, height: 740 })
    const overflowing = await page.evaluate(
      `[...document.querySelectorAll('.tabbar .tab')].filter((tab) => tab.scrollWidth > tab.clientWidth + 1 || tab.getBoundingClientRect().right > innerWidth).length`,
    )
    expect(overflowing).toBe(0)
    await page.setViewportSize({ width: 390, height: 844 })
  })

  it('uploads a PDF from the corpus: upload bar, processing bar moving forward, then ready with units', async () => {
    await nav().getByRole('link', { name: 'Library' }).click()
    await page.getByRole('heading', { name: 'Library', level: 1 }).waitFor()
    await page.getByText('Nothing here yet. Add a document or a link above.').waitFor()
    // Record every value the progress bars take, to check they only move forward.
    await page.evaluate(`(() => {
      const seen = {}
      window.progressSeen = seen
      const record = () => {
        for (const bar of document.querySelectorAll('[role="progressbar"]')) {
          const label = bar.getAttribute('aria-label') ?? ''
          const value = Number(bar.getAttribute('aria-valuenow'))
          const values = (seen[label] ??= [])
          if (values.at(-1) !== value) values.push(value)
        }
      }
      new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] })
    })()`)

    // Client-side checks first: a photo is refused before anything is sent.
    await page.locator('input[type="file"]').setInputFiles({ name: 'holiday.jpg', mimeType: 'image/jpeg', buffer: Buffer.from([0xff, 0xd8, 0xff, 0xe0]) })
    await page.getByRole('alert').getByText('holiday.jpg: .jpg files are not supported.', { exact: false }).waitFor()

    await page.locator('input[type="file"]').setInputFiles(goodDocument)
    await page.getByText('“tracemonkey.pdf” is being read.').waitFor()
    // The list was empty; once read, the source takes the title inside the PDF.
    const item = page.locator('li.source').first()
    await page.locator('li.source[data-status="ready"]').waitFor({ timeout: 60_000 })
    expect(await item.locator('.source-title').textContent()).toBe('Trace-based Just-in-Time Type Specialization for Dynamic Languages')
    expect(await item.locator('.source-meta').textContent()).toContain('PDF · 14 pp.')
    const ready = (await item.locator('.source-ready').textContent())!
    expect(ready).toMatch(/^Ready: \d+ units?$/)
    expect(Number(ready.match(/\d+/)![0])).toBeGreaterThan(0)
    expect(await item.getByRole('link', { name: 'See its units' }).isVisible()).toBe(true)

    const seen = (await page.evaluate('window.progressSeen')) as Record<string, number[]>
    const upload = seen['Uploading tracemonkey.pdf'] ?? []
    const processing = Object.entries(seen).flatMap(([label, values]) => (label.startsWith('Processing ') ? values : []))
    expect(upload.length + processing.length).toBeGreaterThan(0)
    for (const values of [upload, processing]) for (let index = 1; index < values.length; index++) expect(values[index]).toBeGreaterThanOrEqual(values[index - 1]!)
    await page.getByRole('heading', { name: 'Your documents' }).evaluate((heading) => heading.scrollIntoView({ block: 'center' }))
    await shot('library')
  })

  it('opens what the document became: its units in order, all new, one opened in place, then back', async () => {
    const item = page.locator('li.source[data-status="ready"]').first()
    const title = (await item.locator('.source-title').textContent())!
    const count = Number((await item.locator('.source-ready').textContent())!.match(/\d+/)![0])
    await item.getByRole('link', { name: 'See its units' }).click()
    await page.getByRole('heading', { name: title, level: 1 }).waitFor()
    expect(new URL(page.url()).pathname).toMatch(/^\/library\/[0-9a-f-]{36}$/)
    // The Library tab stays lit on the document's screen.
    expect(await nav().getByRole('link', { name: 'Library' }).getAttribute('class')).toContain('tab-active')

    const cards = page.locator('li.listed-unit')
    await cards.first().waitFor()
    expect(await cards.count()).toBe(Math.min(count, 20))
    expect(await page.locator('.source-units-intro').textContent()).toContain(`Ready: ${count} unit`)
    // Nothing from it was in the feed yet: every unit is new.
    expect(await cards.locator('.badge-new').count()).toBe(await cards.count())
    expect(await cards.first().locator('.listed-citation').textContent()).toMatch(/^Source: Trace-based/)

    const first = cards.first()
    await first.getByRole('button', { name: 'Open' }).click()
    expect(await first.locator('.listed-preview').isHidden()).toBe(true)
    expect(await first.getByRole('button', { name: 'Close' }).getAttribute('aria-expanded')).toBe('true')
    await shot('library-units', { top: true })

    await page.locator('#main').getByRole('link', { name: 'Library', exact: true }).click()
    await page.getByRole('heading', { name: 'Library', level: 1 }).waitFor()
  })

  it('explains a document that cannot be read, and deletes it after confirmation', async () => {
    await page.locator('input[type="file"]').setInputFiles(lockedDocument)
    const item = page.locator('li.source', { hasText: 'issue21579.pdf' })
    await page.locator('li.source[data-status="failed"]').waitFor({ timeout: 30_000 })
    expect(await item.locator('.source-error').textContent()).toBe('This PDF is protected by a password. Remove the password and add it again.')
    expect(await item.locator('.badge').textContent()).toBe('Failed')
    await page.getByRole('heading', { name: 'Your documents' }).evaluate((heading) => heading.scrollIntoView({ block: 'start' }))
    await shot('library-error')

    await item.getByRole('button', { name: 'Delete issue21579.pdf' }).click()
    const dialog = page.getByRole('dialog', { name: 'Delete “issue21579.pdf”?' })
    await dialog.waitFor()
    await dialog.getByRole('button', { name: 'Delete' }).click()
    await page.getByText('“issue21579.pdf” is deleted.').waitFor()
    expect(await item.count()).toBe(0)
    await page.reload()
    await page.locator('li.source', { hasText: 'Trace-based' }).waitFor()
    expect(await page.locator('li.source').count()).toBe(1)
  })

  it('serves a unit citing the upload in the feed, saves it and answers a quiz', async () => {
    const units = new Map<string, unknown>()
    page.on('response', async (response) => {
      if (!response.url().includes('/api/v1/feed/next') || !response.ok()) return
      const body = (await response.json().catch(() => ({ units: [] }))) as { units: { id: string }[] }
      for (const unit of body.units) units.set(unit.id, unit)
    })
    await nav().getByRole('link', { name: 'Feed' }).click()
    await page.locator('[role="feed"] article[data-unit-id]').first().waitFor({ timeout: 30_000 })
    await settled()

    // Every unit here comes from the upload; find one that shows its citation (quizzes may not).
    for (let step = 0; step < 15 && (await current().locator('.citation').count()) === 0; step++) {
      await nextUnit(page)
      await settled()
    }
    const citation = current().locator('.citation')
    expect(await citation.isVisible()).toBe(true)
    expect(await citation.textContent()).toMatch(/^Source: /)
    expect((await citation.locator('blockquote').textContent())!.length).toBeGreaterThan(10)
    expect(await current().locator('.chip').first().textContent()).toBe('From your library')
    await shot('feed-citation')

    // Saving is a `save` feed event; the server keeps the unit as saved when the batch commits.
    const saveSent = page.waitForResponse(
      (response) => response.url().endsWith('/api/v1/feed/events') && (response.request().postDataJSON() as { events: { type: string }[] }).events.some((event) => event.type === 'save'),
      { timeout: 30_000 },
    )
    await current().getByRole('button', { name: 'Save' }).click()
    expect(await current().getByRole('button', { name: 'Save' }).getAttribute('aria-pressed')).toBe('true')
    savedUnitId = await current().getAttribute('data-unit-id')
    expect(units.has(savedUnitId!)).toBe(true)

    expect(await answerQuiz(page, 25)).toBe(true)
    expect((await saveSent).status()).toBe(202)
  })

  it('lists the saved unit on /saved, opens it and removes it', async () => {
    await nav().getByRole('link', { name: 'Me', exact: true }).click()
    await page.getByRole('link', { name: /^Saved/ }).click()
    await page.getByRole('heading', { name: 'Saved', level: 1 }).waitFor()
    const card = page.locator(`li.listed-unit[data-unit-id="${savedUnitId}"]`)
    await card.waitFor()
    expect(await card.locator('.chip').textContent()).toBe('From your library')
    expect(await card.locator('.listed-citation').textContent()).toMatch(/^Source: /)
    expect(await nav().getByRole('link', { name: 'Me', exact: true }).getAttribute('class')).toContain('tab-section')
    await card.getByRole('button', { name: 'Open' }).click()
    expect(await card.getByRole('button', { name: 'Close' }).getAttribute('aria-expanded')).toBe('true')
    await shot('saved')
    await card.getByRole('button', { name: 'Remove from saved' }).click()
    await page.getByText('Removed from saved.').waitFor()
    expect(await card.count()).toBe(0)
    // Removed on the server too, not only from the screen.
    await page.reload()
    await page.getByText('Nothing saved yet. Tap the bookmark on a unit to keep it here.').waitFor()
  })

  it('shows today: streak, the day in numbers, the 20:00 note, the reflection prompt and an accessible accuracy chart', async () => {
    await nav().getByRole('link', { name: 'Today' }).click()
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor()
    await page.getByText('Your summary arrives at 20:00. Here is your day so far.').waitFor()
    const chart = page.getByRole('img', { name: /^Quiz accuracy over the last 14 days: \d+% \([01] right of 1\)\.$/ })
    await chart.waitFor()
    const right = Number(await page.locator('.stat-right dd').textContent())
    const wrong = Number(await page.locator('.stat-wrong dd').textContent())
    expect(right + wrong).toBe(1)
    expect(Number(await page.locator('.stat dd').first().textContent())).toBeGreaterThan(0)
    // A streak counts days with a right answer: one today if the quiz was answered right.
    expect(await page.locator('#streak-heading').textContent()).toBe(right === 1 ? '1-day streak' : 'No streak yet. Get one quick check right today to start one.')
    expect(await page.getByRole('heading', { name: 'Think about it' }).isVisible()).toBe(true)
    expect(await page.locator('.reflection blockquote').textContent()).not.toBe('')
    // The numbers behind the chart, for screen readers: one row per day.
    expect(await page.locator('table.visually-hidden tbody tr').count()).toBe(14)
    expect(await page.locator('.chart-dot').count()).toBe(1)
    await page.getByRole('radio', { name: '30 days' }).check()
    await page.getByRole('img', { name: /^Quiz accuracy over the last 30 days/ }).waitFor()
    await page.getByRole('radio', { name: '14 days' }).check()
    await shot('today', { top: true })
  })

  it('shows progress per topic and downloads the reviews for Anki', async () => {
    await nav().getByRole('link', { name: 'Me', exact: true }).click()
    await page.getByRole('link', { name: /^Progress/ }).click()
    const topic = page.locator('li.topic-progress', { hasText: 'From your library' })
    await topic.waitFor()
    expect(Number(await topic.locator('.stat dd').first().textContent())).toBeGreaterThan(0)
    expect(await topic.getByRole('img', { name: /^Accuracy over the last 14 days: \d+%\.$/ }).isVisible()).toBe(true)
    await shot('progress')

    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Download for Anki (CSV)' }).click()
    const file = await download
    expect(file.suggestedFilename()).toBe('noleij-reviews.csv')
    const text = await (await import('node:fs/promises')).readFile((await file.path())!, 'utf8')
    expect(text.startsWith('#separator:semicolon')).toBe(true)
  })

  it('gathers the personal places on the Me hub, without Admin for a learner', async () => {
    await nav().getByRole('link', { name: 'Me', exact: true }).click()
    await page.getByRole('heading', { name: learner.name, level: 1 }).waitFor()
    expect(await page.getByText(learner.email).isVisible()).toBe(true)
    expect(await nav().getByRole('link', { name: 'Me', exact: true }).getAttribute('aria-current')).toBe('page')
    const places = page.locator('.place-label')
    expect(await places.allTextContents()).toEqual(['Progress', 'Saved', 'Offline pack', 'Hands-free driving', 'Settings'])
    expect(await page.getByRole('link', { name: /^Admin/ }).count()).toBe(0)
    await shot('me')
    await page.getByRole('link', { name: /^Settings/ }).click()
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor()
  })
})
