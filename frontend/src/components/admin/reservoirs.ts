import type { Reservoir } from '../../lib/api-admin.ts'

/** Sorting and low-stock rules for the reservoirs table. Pure and tested. */

export type ReservoirSortKey = 'title' | 'stock' | 'unseen' | 'reports' | 'last_batch'
export type SortDirection = 'ascending' | 'descending'

/** The threshold lib/config.ts uses when the server does not send its own (CONTENT_REFILL_THRESHOLD). */
export const defaultRefillThreshold = 20

/**
 * Low: what the least-supplied active follower has left to see is under the refill threshold, so
 * the feed will (or should) queue a batch. A topic nobody follows is not low however small.
 */
export function isLowStock(reservoir: Reservoir, threshold: number): boolean {
  return reservoir.followers > 0 && reservoir.unseen_min < threshold
}

function sortValue(reservoir: Reservoir, key: ReservoirSortKey): string | number {
  switch (key) {
    case 'title':
      return reservoir.topic.title.toLocaleLowerCase()
    case 'stock':
      return reservoir.stock
    case 'unseen':
      return reservoir.unseen_min
    case 'reports':
      return reservoir.open_reports
    case 'last_batch':
      // Never refilled sorts as the oldest.
      return reservoir.last_batch_at ? Date.parse(reservoir.last_batch_at) : 0
  }
}

/** A sorted copy; ties keep the server's order so the table does not shuffle on every click. */
export function sortReservoirs(items: readonly Reservoir[], key: ReservoirSortKey, direction: SortDirection): Reservoir[] {
  const sign = direction === 'ascending' ? 1 : -1
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => {
      const left = sortValue(a.item, key)
      const right = sortValue(b.item, key)
      const order = typeof left === 'string' ? left.localeCompare(right as string) : left - (right as number)
      return order * sign || a.index - b.index
    })
    .map(({ item }) => item)
}

/** Clicking the column already sorted flips it; a new column starts with the order most useful first. */
export function toggleSort(current: { key: ReservoirSortKey; direction: SortDirection }, key: ReservoirSortKey): { key: ReservoirSortKey; direction: SortDirection } {
  if (current.key === key) return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' }
  return { key, direction: key === 'title' || key === 'stock' || key === 'unseen' ? 'ascending' : 'descending' }
}
