import { describe, expect, it } from 'vitest'
import type { Reservoir } from '../../lib/api-admin.ts'
import { isLowStock, sortReservoirs, toggleSort } from './reservoirs.ts'

function reservoir(title: string, fields: Partial<Reservoir> = {}): Reservoir {
  return {
    topic: { id: title, slug: title.toLowerCase(), title, language: 'en', status: 'ready' },
    followers: 1,
    active_followers: 1,
    stock: 25,
    hidden: 0,
    retired: 0,
    unseen_min: 25,
    served: 0,
    like_rate: null,
    quiz_accuracy: null,
    open_reports: 0,
    last_batch_at: null,
    ...fields,
  }
}

describe('isLowStock', () => {
  it('is low when the least-supplied follower has fewer unseen units than the threshold', () => {
    expect(isLowStock(reservoir('A', { unseen_min: 19 }), 20)).toBe(true)
    expect(isLowStock(reservoir('A', { unseen_min: 20 }), 20)).toBe(false)
  })

  it('is never low for a topic without followers', () => {
    expect(isLowStock(reservoir('A', { followers: 0, unseen_min: 0, stock: 0 }), 20)).toBe(false)
  })
})

describe('sortReservoirs', () => {
  const items = [
    reservoir('Volcanoes', { stock: 6, open_reports: 3, last_batch_at: '2026-03-01T10:00:00Z' }),
    reservoir('astronomy', { stock: 30 }),
    reservoir('Bees', { stock: 6, open_reports: 1, last_batch_at: '2026-03-02T10:00:00Z' }),
  ]
  const titles = (list: Reservoir[]) => list.map((item) => item.topic.title)

  it('sorts by title ignoring case, and by numbers both ways, ties in the server’s order', () => {
    expect(titles(sortReservoirs(items, 'title', 'ascending'))).toEqual(['astronomy', 'Bees', 'Volcanoes'])
    expect(titles(sortReservoirs(items, 'stock', 'ascending'))).toEqual(['Volcanoes', 'Bees', 'astronomy'])
    expect(titles(sortReservoirs(items, 'stock', 'descending'))).toEqual(['astronomy', 'Volcanoes', 'Bees'])
    expect(titles(sortReservoirs(items, 'reports', 'descending'))).toEqual(['Volcanoes', 'Bees', 'astronomy'])
    expect(titles(sortReservoirs(items, 'last_batch', 'descending'))).toEqual(['Bees', 'Volcanoes', 'astronomy'])
  })

  it('does not change the list it was given', () => {
    sortReservoirs(items, 'title', 'ascending')
    expect(titles(items)).toEqual(['Volcanoes', 'astronomy', 'Bees'])
  })

  it('flips the current column and starts a new one in its most useful order', () => {
    expect(toggleSort({ key: 'stock', direction: 'ascending' }, 'stock')).toEqual({ key: 'stock', direction: 'descending' })
    expect(toggleSort({ key: 'stock', direction: 'ascending' }, 'reports')).toEqual({ key: 'reports', direction: 'descending' })
    expect(toggleSort({ key: 'reports', direction: 'descending' }, 'unseen')).toEqual({ key: 'unseen', direction: 'ascending' })
  })
})
