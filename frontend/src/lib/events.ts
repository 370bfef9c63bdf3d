import { ApiError, isOffline } from './api.ts'
import type { Outbox, OutboxItem } from './outbox.ts'
import type { AnswerInput, AnswerResult, FeedEvent } from './types.ts'

export interface LearnerSignals {
  /** Queues one event; it is sent with the next batch. */
  track(event: Omit<FeedEvent, 'client_id' | 'timestamp'>): void
  /**
   * Sends what is queued now (`keepalive` when the page is going away); offline, it goes straight
   * to the outbox instead, so a page closed or reloaded without network loses nothing.
   */
  flush(options?: { keepalive?: boolean }): Promise<void>
  /** Answers a quiz, or keeps the answer for later when offline (`queued`: no feedback yet). */
  answer(unitId: string, input: AnswerInput): Promise<{ queued: false; result: AnswerResult } | { queued: true }>
  /** Sends what waited offline, oldest first; stops at the first network failure. */
  sync(): Promise<void>
  /** Drops everything unsent (sign-out: the next learner must not send it). */
  discard(): Promise<void>
  stop(): void
}

export interface SignalsOptions {
  sendEvents(events: FeedEvent[], keepalive: boolean): Promise<void>
  sendAnswer(unitId: string, input: AnswerInput): Promise<AnswerResult>
  outbox: Outbox
  /** Whether the device has a network now (navigator.onLine). */
  online?: () => boolean
  now?: () => Date
  newId?: () => string
  /** Send a batch at most this long after its first event. */
  flushAfterMs?: number
  /** …or as soon as this many are queued. */
  batchSize?: number
  setTimer?: (callback: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
  onError?: (error: unknown) => void
}

/**
 * Batches feed events (one request per few seconds instead of one per swipe) and keeps whatever
 * cannot be delivered (events and quiz answers) in the outbox until the network returns. Every
 * event carries a client UUID, so a batch that reached the server but whose answer was lost can
 * be sent again harmlessly. A 4xx other than 401/408/429 means the server will never take the
 * item: it is dropped rather than retried forever.
 */
export function createLearnerSignals(options: SignalsOptions): LearnerSignals {
  const now = options.now ?? (() => new Date())
  const newId = options.newId ?? (() => crypto.randomUUID())
  const flushAfterMs = options.flushAfterMs ?? 4000
  const batchSize = options.batchSize ?? 20
  const setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms))
  const clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>))
  const onError = options.onError ?? (() => {})
  const online = options.online ?? (() => true)

  let pending: FeedEvent[] = []
  let timer: unknown = null
  let syncing: Promise<void> | null = null
  let generation = 0

  const retryable = (error: unknown) =>
    isOffline(error) || (error instanceof ApiError && (error.status >= 500 || error.status === 401 || error.status === 408 || error.status === 429))

  async function deliver(item: OutboxItem, keepalive = false): Promise<AnswerResult | void> {
    if (item.kind === 'events') return options.sendEvents(item.events, keepalive)
    return options.sendAnswer(item.unitId, item.input)
  }

  async function keep(item: OutboxItem) {
    try {
      await options.outbox.add(item)
    } catch (error) {
      onError(error)
    }
  }

  async function flush(flushOptions: { keepalive?: boolean } = {}) {
    if (timer !== null) clearTimer(timer)
    timer = null
    if (pending.length === 0) return
    const item: OutboxItem = { kind: 'events', events: pending }
    pending = []
    // A request now would only fail, and when the page is going away there would be no time left
    // after the failure to keep the batch: keep it at once.
    if (!online()) return keep(item)
    try {
      await deliver(item, flushOptions.keepalive)
    } catch (error) {
      if (retryable(error)) await keep(item)
      else onError(error)
    }
  }

  async function syncOnce() {
    const started = generation
    for (const entry of await options.outbox.list()) {
      if (generation !== started) return
      try {
        await deliver(entry.item)
      } catch (error) {
        if (retryable(error)) return
        onError(error)
      }
      await options.outbox.remove(entry.seq)
    }
  }

  return {
    track(event) {
      pending.push({ ...event, client_id: newId(), timestamp: now().toISOString() })
      if (pending.length >= batchSize) void flush()
      else if (timer === null) timer = setTimer(() => void flush(), flushAfterMs)
    },
    flush,
    async answer(unitId, input) {
      try {
        return { queued: false, result: await options.sendAnswer(unitId, input) }
      } catch (error) {
        if (!isOffline(error)) throw error
        await keep({ kind: 'answer', unitId, input })
        return { queued: true }
      }
    },
    sync() {
      syncing ??= syncOnce().finally(() => {
        syncing = null
      })
      return syncing
    },
    async discard() {
      generation++
      pending = []
      if (timer !== null) clearTimer(timer)
      timer = null
      await options.outbox.clear()
    },
    stop() {
      if (timer !== null) clearTimer(timer)
      timer = null
    },
  }
}
