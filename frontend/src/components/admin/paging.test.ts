import { describe, expect, it } from 'vitest'
import { currentCursor, firstPage, hasPrevious, nextPage, pageNumber, previousPage } from './paging.ts'

describe('cursor paging', () => {
  it('walks forward with the server’s cursors and back through the ones already seen', () => {
    let paging = firstPage
    expect(currentCursor(paging)).toBeUndefined()
    expect(hasPrevious(paging)).toBe(false)
    paging = nextPage(paging, 'c1')
    paging = nextPage(paging, 'c2')
    expect(currentCursor(paging)).toBe('c2')
    expect(pageNumber(paging)).toBe(3)
    paging = previousPage(paging)
    expect(currentCursor(paging)).toBe('c1')
    paging = previousPage(previousPage(paging))
    expect(paging.cursors).toEqual([undefined])
  })

  it('stays on the last page when there is no next cursor', () => {
    const last = nextPage(firstPage, 'c1')
    expect(nextPage(last, null)).toBe(last)
  })
})
