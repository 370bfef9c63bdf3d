import { createResource, createSignal } from 'solid-js'
import { errorMessage, orIfNotDeployed } from './messages.ts'
import type { Page } from './page.ts'
import { showToast } from './toast.ts'

/**
 * A keyset-paged list on a screen (saved units, a document's units): the first page loads as a
 * resource, so the screen shows its skeleton and its error; `more()` appends the next page, leaving
 * out items already shown. With `optional`, a route the server does not have yet reads as
 * `{unavailable: true}` instead of an error.
 */
export function createPagedList<T>(fetchPage: (cursor?: string) => Promise<Page<T>>, keyOf: (item: T) => string, options: { optional?: boolean } = {}) {
  const [items, setItems] = createSignal<T[]>([])
  const [cursor, setCursor] = createSignal<string | null>(null)
  const [loadingMore, setLoadingMore] = createSignal(false)
  const [first] = createResource(() => {
    const loaded = fetchPage().then((page) => {
      setItems(page.items)
      setCursor(page.next_cursor)
      return { unavailable: false }
    })
    return options.optional ? orIfNotDeployed(loaded, { unavailable: true }) : loaded
  })

  async function more() {
    const next = cursor()
    if (!next || loadingMore()) return
    setLoadingMore(true)
    try {
      const page = await fetchPage(next)
      const known = new Set(items().map(keyOf))
      setItems([...items(), ...page.items.filter((item) => !known.has(keyOf(item)))])
      setCursor(page.next_cursor)
    } catch (error) {
      showToast(errorMessage(error), 'error')
    } finally {
      setLoadingMore(false)
    }
  }

  return { items, setItems, cursor, loadingMore, first, more }
}
