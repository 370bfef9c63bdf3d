import { api } from './api.ts'
import { createLearnerSignals } from './events.ts'
import { createMemoryOutbox, openIndexedDbOutbox } from './outbox.ts'

/** The app's one event batcher, delivering through the API client and keeping misses in IndexedDB. */
export const signals = createLearnerSignals({
  sendEvents: (events, keepalive) => api.sendEvents(events, keepalive),
  sendAnswer: (unitId, input) => api.answer(unitId, input),
  outbox: typeof indexedDB === 'undefined' ? createMemoryOutbox() : openIndexedDbOutbox(),
  online: () => navigator.onLine,
  onError: (error) => console.warn('learner signal dropped', error),
})

/**
 * Wires the batcher to the page: flush when hidden, keep what is queued in the outbox the moment
 * the network goes (the page may be closed before the batch's timer), sync when it returns.
 */
export function startSignals() {
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') void signals.flush({ keepalive: true })
  })
  addEventListener('offline', () => void signals.flush())
  addEventListener('online', () => void signals.sync())
  if (navigator.onLine) void signals.sync()
}
