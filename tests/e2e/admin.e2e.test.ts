import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Page } from 'playwright-core'
import { ensureAdmin } from '../../lib/accounts/admin.ts'
import { recordUsage } from '../../lib/ai/usage.ts'
import { blindAnswer, pumiceBatch, volcanoBatch } from '../../lib/content/testing.ts'
import type { Runner } from '../../local-runner/runner.ts'
import { openPhone, screenshot, startE2eRunner, type Phone } from '../support/e2e.ts'
import { messagesText, startOpenAiServer, type ChatRequestBody, type OpenAiServer } from '../support/openai-server.ts'

/**
 * The admin screens in Chromium at a phone's size, against the local runner on embedded PGlite with
 * the scripted OpenAI-compatible server as its AI provider: a learner's topic fills a reservoir
 * (and the usage log), three learners report a quiz so it is hidden, and an admin signed in through
 * the UI refills the topic, reads the cost chart, regenerates the quiz, changes a role and finds
 * it in the audit log. A learner opening /admin is told plainly that it is not for them.
 */
/** The "model": topic normalisation, unit batches, rewrites for regenerate, blind quiz answers. */
function answer(body: ChatRequestBody): string {
  const system = messagesText(body, 'system')
  const user = messagesText(body, 'user')
  if (system.includes('canonical topic')) {
    return JSON.stringify({ title: 'Volcanoes', slug: 'volcanoes', language: 'en', description: 'How volcanoes form and erupt.', suitable: true })
  }
  if (system.includes('taking a quiz')) return JSON.stringify(blindAnswer(JSON.parse(user.slice(user.indexOf('Quiz:') + 5)) as never))
  if (user.includes('Rewrite')) return JSON.stringify({ units: pumiceBatch })
  return JSON.stringify({ units: volcanoBatch })
}

describe('the admin screens in Chromium', () => {
  let server: OpenAiServer
  let runner: Runner
  let phone: Phone
  let page: Page
  let topicId: string
  let reportedUnitId: string
  const stamp = Date.now()
  const admin = { email: `admin-${stamp}@example.com`, password: 'correct horse battery staple' }
  const learners = ['ada', 'grace', 'linus'].map((name) => ({ name, email: `${name}-${stamp}@example.com`, password: 'a perfectly fine passphrase', token: '' }))
  const bob = { email: `bob-${stamp}@example.com`, password: 'a perfectly fine passphrase' }

  /** A screenshot without passing toasts, every table scrolled back to its first column. */
  const shot = async (name: string) => {
    for (const dismiss of await page.locator('.toast').getByRole('button', { name: 'Dismiss' }).all()) await dismiss.click()
    await page.evaluate(`document.querySelectorAll('.admin-scroll').forEach((region) => { region.scrollLeft = 0 })`)
    await screenshot(page, name)
  }
  const adminTabs = () => page.getByRole('navigation', { name: 'Admin sections' })
  const api = async (method: string, route: string, options: { token?: string; body?: unknown } = {}) => {
    const response = await fetch(`${runner.url}/api/v1${route}`, {
      method,
      headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    })
    const text = await response.text()
    return { status: response.status, body: text ? JSON.parse(text) : null }
  }
  /** The page itself never scrolls sideways at 390 px: wide tables scroll inside their own region. */
  const pageOverflow = () => page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth') as Promise<number>

  beforeAll(async () => {
    server = await startOpenAiServer({ apiKey: 'sk-test' })
    server.onChat(answer)
    runner = await startE2eRunner('admin', {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: server.baseURL,
      AI_PROVIDER_ORDER: 'openai',
      TTS_PROVIDER_ORDER: 'openai',
      QUEUE_POLL_INTERVAL_MS: '100',
    })
    const ctx = runner.runtime.ctx
    await ensureAdmin(ctx, admin)

    // Learners sign up through the API; the first asks for a topic, which the AI fills.
    for (const learner of learners) {
      const registered = await api('POST', '/auth/register', { body: { email: learner.email, password: learner.password, name: learner.name } })
      expect(registered.status).toBe(201)
      learner.token = registered.body.access_token
    }
    expect((await api('POST', '/auth/register', { body: { ...bob, name: 'Bob' } })).status).toBe(201)
    const topic = await api('POST', '/topics', { token: learners[0]!.token, body: { prompt: 'Teach me about volcanoes' } })
    expect(topic.status).toBe(202)
    topicId = topic.body.topic.id
    // The runner's queue consumer runs the refill; wait for its multiple-choice quiz.
    const quiz = await vi.waitFor(
      async () => {
        const [found] = await ctx.sql<{ id: string }[]>`select id from units where topic_id = ${topicId} and quiz_kind = 'mcq'`
        if (!found) throw new Error('no quiz yet')
        return found
      },
      { timeout: 20_000, interval: 200 },
    )
    reportedUnitId = quiz.id

    // Three reports hide the quiz from every feed until an admin acts.
    const reasons = [
      { reason: 'incorrect', detail: 'Volcanoes also form over hot spots.' },
      { reason: 'unclear' },
      { reason: 'other', detail: 'The options are too easy.' },
    ]
    for (const [index, learner] of learners.entries()) {
      const reported = await api('POST', `/units/${reportedUnitId}/report`, { token: learner.token, body: reasons[index] })
      expect(reported.status).toBe(201)
    }

    // Some spending on earlier days, so the chart has a shape: recorded through lib code with a clock set back.
    const day = 86_400_000
    const spending = [
      [6, 'gpt-4o', 'refill', 0.42],
      [5, 'gpt-4o', 'refill', 0.18],
      [3, 'gpt-4o-mini', 'ask', 0.03],
      [2, 'gpt-4o', 'regenerate', 0.27],
      [1, 'gpt-4o-mini', 'topic', 0.004],
    ] as const
    for (const [daysAgo, model, purpose, costUsd] of spending) {
      const at = new Date(Date.now() - daysAgo * day)
      await recordUsage({ ...ctx, clock: { now: () => at } }, { purpose, task: 'unit-batch', provider: 'openai', model, tokensIn: 12_000, tokensOut: 3_000, costUsd, outcome: 'ok' })
    }

    phone = await openPhone('admin', runner.url)
    page = phone.page
  }, 60_000)

  afterAll(async () => {
    await phone?.close()
    await runner?.stop()
    await server?.close()
  })

  async function signIn(account: { email: string; password: string }) {
    await page.goto('/sign-in')
    await page.getByLabel('Email').fill(account.email)
    await page.getByLabel('Password', { exact: true }).fill(account.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('navigation', { name: 'Main' }).waitFor()
  }

  it('signs the admin in through the UI and reaches Admin from the Me hub', async () => {
    await signIn(admin)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Me', exact: true }).click()
    await page.getByRole('link', { name: /^Admin/ }).click()
    await page.getByRole('heading', { name: 'Reservoirs', level: 1 }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/admin')
    expect(await adminTabs().getByRole('link', { name: 'Reservoirs' }).getAttribute('aria-current')).toBe('page')
  })

  it('lists reservoirs with the low one marked, sorts them, and queues a refill', async () => {
    const row = page.locator(`tr[data-topic-id="${topicId}"]`)
    await row.waitFor()
    // One follower with a handful of units, far below the refill target: marked low in words, not only colour.
    expect(await row.getAttribute('class')).toContain('row-low')
    expect(await row.getByText('Low', { exact: true }).isVisible()).toBe(true)
    expect(await row.locator('th').textContent()).toContain('Volcanoes')
    expect(await row.locator('td').first().textContent()).toMatch(/\d+ text/)
    // Sorted by what followers have left, lowest first: the one followed topic leads the starter topics.
    expect(await page.locator('tbody tr').first().getAttribute('data-topic-id')).toBe(topicId)
    const byTopic = page.getByRole('columnheader', { name: /Topic/ })
    await byTopic.getByRole('button').click()
    expect(await byTopic.getAttribute('aria-sort')).toBe('ascending')
    await byTopic.getByRole('button').click()
    expect(await byTopic.getAttribute('aria-sort')).toBe('descending')

    const refill = page.waitForResponse((response) => response.url().endsWith(`/api/v1/admin/topics/${topicId}/refill`))
    await row.getByRole('button', { name: /^Refill/ }).click()
    expect((await refill).status()).toBe(202)
    await row.getByText('Refill queued').waitFor()
    expect(await pageOverflow()).toBeLessThanOrEqual(0)
    await row.scrollIntoViewIfNeeded()
    await shot('admin-reservoirs')
  })

  it('charts AI cost per day as an accessible image with totals and a breakdown', async () => {
    await adminTabs().getByRole('link', { name: 'AI cost' }).click()
    await page.getByRole('heading', { name: 'AI cost', level: 1 }).waitFor()
    const chart = page.getByRole('img', { name: 'AI cost per day' })
    await chart.waitFor()
    // One bar per day, and the same numbers as a table for screen readers.
    expect(await chart.locator('rect.chart-bar').count()).toBe(7)
    const table = page.locator('.cost-chart table')
    expect(await table.locator('tbody tr').count()).toBe(7)
    expect(await table.locator('tbody tr').first().textContent()).toContain('$0.42')
    const summary = await page.locator('.cost-chart figcaption').textContent()
    expect(summary).toMatch(/^\$\d+\.\d+ from .* \(7 days\); the most on .*: \$0\.42\.$/)
    // Today's real calls (topic, batch, embeddings, speech) are in the totals alongside the recorded ones.
    const calls = Number((await page.locator('.admin-total', { hasText: 'Calls' }).locator('dd').textContent())!.replace(/,/g, ''))
    expect(calls).toBeGreaterThan(5)
    const byModel = page.getByRole('region', { name: 'By model' })
    expect(await byModel.getByRole('rowheader', { name: /gpt-4o-mini/ }).count()).toBe(1)
    expect(await pageOverflow()).toBeLessThanOrEqual(0)
    await page.getByRole('heading', { name: 'Cost per day' }).evaluate((heading) => heading.closest('section')!.scrollIntoView({ block: 'center' }))
    await shot('admin-costs')

    await page.getByRole('radio', { name: 'Last 30 days' }).check()
    await expect.poll(() => chart.locator('rect.chart-bar').count()).toBe(30)
  })

  it('shows the reported quiz with its reasons and content, and regenerates it into a new version', async () => {
    await adminTabs().getByRole('link', { name: 'Reports' }).click()
    await page.getByRole('heading', { name: 'Reported units', level: 1 }).waitFor()
    await page.getByRole('radio', { name: 'Hidden' }).check()
    const card = page.locator(`li.report[data-unit-id="${reportedUnitId}"]`)
    await card.waitFor()
    expect(await card.locator('[data-status]').getAttribute('data-status')).toBe('hidden')
    expect(await card.textContent()).toContain('Open reports: 3.')
    expect(await card.getByText('“Volcanoes also form over hot spots.”').isVisible()).toBe(true)
    expect(await card.locator('.preview-question').textContent()).toBe('Where do most volcanoes form?')
    expect(await card.locator('.preview-correct').textContent()).toContain('At plate boundaries')

    // Retire asks first; cancelling changes nothing.
    await card.getByRole('button', { name: 'Retire' }).click()
    const dialog = page.getByRole('dialog', { name: 'Retire this unit?' })
    await dialog.waitFor()
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await dialog.waitFor({ state: 'hidden' })
    expect(await card.locator('[data-status]').getAttribute('data-status')).toBe('hidden')

    await card.getByRole('button', { name: 'Regenerate' }).click()
    const confirm = page.getByRole('dialog', { name: 'Regenerate this unit?' })
    const regenerated = page.waitForResponse((response) => response.url().endsWith(`/api/v1/admin/units/${reportedUnitId}/regenerate`))
    await confirm.getByRole('button', { name: 'Regenerate' }).click()
    expect((await regenerated).status()).toBe(200)
    await card.getByText('Regenerated as version 2. Its reports are closed.').waitFor()
    expect(await card.locator('[data-status]').getAttribute('data-status')).toBe('active')
    expect(await card.locator('[data-status]').textContent()).toContain('v2')
    expect(await card.locator('.preview-question').textContent()).toBe('Which volcanic rock can float on water?')
    expect(await pageOverflow()).toBeLessThanOrEqual(0)
    await card.scrollIntoViewIfNeeded()
    await shot('admin-reports')

    // Its reports are closed: a fresh load no longer lists it.
    await page.reload()
    await page.getByRole('heading', { name: 'Reported units', level: 1 }).waitFor()
    await page.getByText('No open reports. Nice.').waitFor()
  })

  it('finds a user, changes the role after confirming, and shows the server refusing to demote the last admin', async () => {
    await adminTabs().getByRole('link', { name: 'Users' }).click()
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor()
    await page.getByLabel('Search', { exact: true }).fill('bob')
    await page.getByRole('button', { name: 'Search' }).click()
    const row = page.locator('tbody tr', { hasText: bob.email })
    await row.waitFor()
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1)

    await row.getByLabel(`New role for ${bob.email}`).selectOption('mentor')
    await row.getByRole('button', { name: /^Change role/ }).click()
    const dialog = page.getByRole('dialog', { name: 'Change the role?' })
    await dialog.getByText(`${bob.email} becomes Mentor instead of Learner.`, { exact: false }).waitFor()
    await dialog.getByRole('button', { name: 'Change role' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await row.locator('[data-role="mentor"]').waitFor()
    await page.getByRole('status').getByText(`${bob.email} is now Mentor.`).waitFor()
    await shot('admin-users')

    // The only admin demoting themself: the API says no (409) and the dialog shows why.
    await page.getByLabel('Search', { exact: true }).fill(admin.email)
    await page.getByRole('button', { name: 'Search' }).click()
    const self = page.locator('tbody tr', { hasText: admin.email })
    await self.getByText('This is you').waitFor()
    await self.getByLabel(`New role for ${admin.email}`).selectOption('learner')
    await self.getByRole('button', { name: /^Change role/ }).click()
    const refuse = page.getByRole('dialog', { name: 'Change the role?' })
    await refuse.getByText('This is your own account', { exact: false }).waitFor()
    await refuse.getByRole('button', { name: 'Change role' }).click()
    await refuse.getByRole('alert').getByText('This is the only admin. Make someone else an admin first.').waitFor()
    await refuse.getByRole('button', { name: 'Cancel' }).click()
    await self.locator('[data-role="admin"]').waitFor()
    expect(await pageOverflow()).toBeLessThanOrEqual(0)
  })

  it('shows the audit log newest first in the local time, filtered by action', async () => {
    await adminTabs().getByRole('link', { name: 'Audit log' }).click()
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor()
    const first = page.locator('tbody tr').first()
    await first.waitFor()
    expect(await first.getAttribute('data-action')).toBe('role_change')
    expect(await first.textContent()).toContain('learner → mentor')
    // Who did it to whom, by email.
    expect(await first.locator('td').nth(1).textContent()).toContain(admin.email)
    expect(await first.locator('td').nth(2).textContent()).toBe(bob.email)
    expect(await first.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/)
    expect(await first.locator('time').textContent()).toMatch(/\d{1,2}:\d{2}\s?(AM|PM)$/)

    await page.getByLabel('Action', { exact: true }).selectOption('unit_regenerate')
    await expect.poll(() => page.locator('tbody tr').first().getAttribute('data-action')).toBe('unit_regenerate')
    expect(new URL(page.url()).searchParams.get('action')).toBe('unit_regenerate')
    await page.getByLabel('Action', { exact: true }).selectOption('topic_refill')
    await expect.poll(() => page.locator('tbody tr').first().getAttribute('data-action')).toBe('topic_refill')
    await page.getByLabel('Action', { exact: true }).selectOption('')
    await expect.poll(() => page.locator('tbody tr').first().getAttribute('data-action')).toBe('role_change')
    expect(await pageOverflow()).toBeLessThanOrEqual(0)
    await shot('admin-audit')
  })

  it('uses the width of a desktop screen: whole tables, no sideways scrolling', async () => {
    await page.setViewportSize({ width: 1280, height: 860 })
    try {
      await adminTabs().getByRole('link', { name: 'Reservoirs' }).click()
      const region = page.getByRole('region', { name: 'Topic reservoirs. Column headers with buttons sort the table.' })
      await region.locator('tbody tr').first().waitFor()
      expect(await region.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(0)
      await shot('admin-reservoirs-desktop')
    } finally {
      await page.setViewportSize({ width: 390, height: 844 })
    }
  })

  it('tells a learner that /admin is not for them, and the API refuses them too', async () => {
    await page.evaluate('localStorage.clear(); sessionStorage.clear()')
    await signIn(learners[0]!)
    await page.goto('/admin/users')
    await page.getByRole('heading', { name: 'Not allowed', level: 1 }).waitFor()
    expect(await page.getByRole('navigation', { name: 'Admin sections' }).count()).toBe(0)
    expect(await page.getByRole('link', { name: 'Back to Me' }).isVisible()).toBe(true)
    expect((await api('GET', '/admin/users', { token: learners[0]!.token })).status).toBe(403)
    expect((await api('GET', '/admin/reservoirs', { token: learners[0]!.token })).status).toBe(403)
    await shot('admin-not-allowed')
  })
})
