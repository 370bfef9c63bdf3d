import { afterAll, beforeAll } from 'vitest'
import { createTestContext, type TestContext, type TestContextOptions } from './context.ts'
import { registryApp } from './accounts.ts'

// Exported as live bindings so a test file imports `test` and `app` and uses them in its hooks and
// tests by those names, once useTestApp's beforeAll has set them. Vitest loads this module afresh
// for every test file, so each file has its own pair.
export let test: TestContext
export let app: ReturnType<typeof registryApp>

/**
 * A fresh test context and the registry app over it for this file's tests, closed after them.
 * Options given as a function are read in the beforeAll, for values an earlier beforeAll sets (a
 * fake server's URL). A file's own afterAll registered after this call runs before the close.
 */
export function useTestApp(options: TestContextOptions | (() => TestContextOptions) = {}): void {
  beforeAll(async () => {
    test = await createTestContext(typeof options === 'function' ? options() : options)
    app = registryApp(test.ctx)
  })
  afterAll(async () => {
    await test?.close()
  })
}
