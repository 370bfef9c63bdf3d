/**
 * Keyset paging for the admin lists. The API hands out only a `next_cursor`, so going back means
 * remembering the cursors of the pages already seen: a stack whose top is the page shown. The
 * first page has no cursor (undefined).
 */
export interface Paging {
  readonly cursors: readonly (string | undefined)[]
}

export const firstPage: Paging = { cursors: [undefined] }

export function currentCursor(paging: Paging): string | undefined {
  return paging.cursors.at(-1)
}

/** 1-based page number, for "Page 2". */
export function pageNumber(paging: Paging): number {
  return paging.cursors.length
}

export function nextPage(paging: Paging, nextCursor: string | null): Paging {
  return nextCursor === null ? paging : { cursors: [...paging.cursors, nextCursor] }
}

export function previousPage(paging: Paging): Paging {
  return paging.cursors.length > 1 ? { cursors: paging.cursors.slice(0, -1) } : paging
}

export const hasPrevious = (paging: Paging) => paging.cursors.length > 1
