import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { expect } from 'vitest'
import { loadConfig } from '../../lib/config.ts'
import { silentLogger } from '../../lib/log.ts'
import { startRunner, type Runner } from '../../local-runner/runner.ts'
import { ensureFrontend } from '../../scripts/ensure-frontend.ts'
import { freePort } from './postgres-server.ts'

/**
 * What the end-to-end tests in tests/e2e share: the local runner on embedded PGlite, Debian's
 * Chromium at a phone's size (390×844, touch), screenshots for CI and the README, signing up and
 * moving through the feed. Browser-side code is passed as text: the type-check has no DOM library.
 */
export const screenshotsDir = fileURLToPath(new URL('../../artifacts/screenshots/', import.meta.url))

/**
 * The runner serving the built PWA (built first when stale) on 127.0.0.1 from a fresh data directory;
 * `env` adds to or overrides its settings. With `knownPort` the port is picked before it starts, so
 * PUBLIC_BASE_URL, which signed URLs carry, is the page's origin. stop() also removes the directory.
 */
export async function startE2eRunner(name: string, env: Record<string, string> = {}, options: { knownPort?: boolean } = {}): Promise<Runner> {
  ensureFrontend({ quiet: true })
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `noleij-e2e-${name}-`))
  try {
    const port = options.knownPort ? await freePort() : 0
    const publicBaseUrl = port ? { PUBLIC_BASE_URL: `http://127.0.0.1:${port}` } : {}
    const config = loadConfig({ NOLEIJ_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port), ...publicBaseUrl, SCRYPT_COST: '1024', CRON_ENABLED: 'false', ...env })
    const runner = await startRunner(config, { log: silentLogger })
    return {
      ...runner,
      async stop() {
        await runner.stop()
        await rm(dataDir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true })
    throw error
  }
}

export interface Phone {
  context: BrowserContext
  page: Page
  /** Closes Chromium and removes its profile. */
  close(): Promise<void>
}

type LaunchOptions = NonNullable<Parameters<typeof chromium.launchPersistentContext>[1]>

/** Debian's Chromium, headless in a fresh profile, as a 390×844 touch phone opening `baseURL`; `args` add to its flags. */
export async function openPhone(name: string, baseURL: string, options: LaunchOptions = {}): Promise<Phone> {
  await mkdir(screenshotsDir, { recursive: true })
  const profileDir = await mkdtemp(path.join(os.tmpdir(), `noleij-chromium-${name}-`))
  try {
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'en-US',
      colorScheme: 'light',
      baseURL,
      ...options,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...(options.args ?? [])],
    })
    const page = context.pages()[0] ?? (await context.newPage())
    page.setDefaultTimeout(15_000)
    return {
      context,
      page,
      async close() {
        await context.close()
        await rm(profileDir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await rm(profileDir, { recursive: true, force: true })
    throw error
  }
}

/**
 * Saves what the page shows as artifacts/screenshots/<name>.png, and checks that screen against the
 * WCAG 2.1 A/AA rules axe-core can test: every screen the tests show is also an accessibility check.
 */
export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) })
  expect(await axeViolations(page), `accessibility of the screen "${name}"`).toEqual([])
}

const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

/** WCAG 2 A/AA rules axe-core finds broken on the page as it is now: rule, impact and the elements. */
export async function axeViolations(page: Page): Promise<{ id: string; impact: string | null; help: string; targets: string[] }[]> {
  if (!(await page.evaluate(`typeof window.axe !== 'undefined'`))) await page.addScriptTag({ path: axeSource })
  return (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((result) =>
    result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, targets: violation.nodes.map((node) => node.target.join(' ')).slice(0, 5) })))`)) as never
}

/** Closes the toasts: they would cover the screen being shown. */
export async function dismissToasts(page: Page) {
  for (const close of await page.locator('.toast button[aria-label="Dismiss"]').all()) await close.click().catch(() => {})
}

/** Creates an account through the sign-up form and waits for the app shell. */
export async function signUp(page: Page, learner: { name?: string; email: string; password: string }) {
  await page.goto('/sign-up')
  if (learner.name) await page.getByLabel('Name (optional)').fill(learner.name)
  await page.getByLabel('Email').fill(learner.email)
  await page.getByLabel('Password', { exact: true }).fill(learner.password)
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.getByRole('navigation', { name: 'Main' }).waitFor()
}

/** The unit on screen in the feed. */
export const currentUnit = (page: Page) => page.locator('article.unit-active')

/** Waits until the current unit has snapped into place, filling the feed's viewport. */
export const unitSettled = (page: Page) =>
  page.waitForFunction(`(() => {
    const feed = document.querySelector('[role="feed"]').getBoundingClientRect()
    const unit = document.querySelector('article.unit-active')?.getBoundingClientRect()
    return !!unit && Math.abs(unit.top - feed.top) < 2 && Math.abs(unit.height - feed.height) < 2
  })()`)

/** Moves the feed on by one unit with the keyboard and waits until another unit is current. */
export async function nextUnit(page: Page) {
  const before = await currentUnit(page).getAttribute('data-unit-id')
  await currentUnit(page).focus()
  await page.keyboard.press('ArrowDown')
  await expect.poll(() => currentUnit(page).getAttribute('data-unit-id')).not.toBe(before)
}

/** Moves on (at most `steps` units) until a quiz with options comes up, answers it and waits for the verdict; false when none came. */
export async function answerQuiz(page: Page, steps: number): Promise<boolean> {
  for (let step = 0; step < steps; step++) {
    await unitSettled(page)
    const unit = currentUnit(page)
    if ((await unit.getAttribute('data-type')) === 'quiz' && (await unit.locator('.option').count()) > 0) {
      await unit.locator('.option').first().click()
      await unit.locator('.feedback-verdict').waitFor()
      return true
    }
    await nextUnit(page)
  }
  return false
}
