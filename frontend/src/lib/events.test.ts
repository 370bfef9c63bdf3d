import { describe, expect, it, vi } from 'vitest'
import { ApiError, OfflineError } from './api.ts'
import { createLearnerSignals, type SignalsOptions } from './events.ts'
import { createMemoryOutbox } from './outbox.ts'
import type { AnswerInput, FeedEvent } from './types.ts'

function setup(overrides: Partial<SignalsOptions> = {}) {
  const sent: FeedEvent[][] = []
  const answers: { unitId: string; input: AnswerInput }[] = []
  let online = true
  const timers: (() => void)[] = []
  let id = 0
  const outbox = createMemoryOutbox()
  const signals = createLearnerSignals({
    outbox,
    sendEvents: async (events) => {
      if (!online) throw new OfflineError()
      sent.push(events)
    },
    sendAnswer: async (unitId, input) => {
      if (!online) throw new OfflineError()
      answers.push({ unitId, input })
      return { correct: input.answer === 1, correct_answer: 1, explanation: 'Because.' }
    },
    now: () => new Date('2026-03-02T09:00:00Z'),
    newId: () => `event-${++id}`,
    online: () => online,
    setTimer: (callback) => timers.push(callback),
    clearTimer: () => {},
    ...overrides,
  })
  return {
    signals,
    sent,
    answers,
    outbox,
    timers,
    setOnline: (value: boolean) => (online = value),
    fireTimers: async () => {
      for (const timer of timers.splice(0)) timer()
      await new Promise((resolve) => setTimeout(resolve, 0))
    },
  }
}

describe('learner signals', () => {
  it('sends events in one batch, each with its own id and time', async () => {
    const { signals, sent, fireTimers } = setup()
    signals.track({ type: 'impression', unit_id: 'a' })
    signals.track({ type: 'dwell', unit_id: 'a', ms: 5400 })
    signals.track({ type: 'like', unit_id: 'a' })
    expect(sent).toEqual([])
    await fireTimers()
    expect(sent).toEqual([
      [
        { type: 'impression', unit_id: 'a', client_id: 'event-1', timestamp: '2026-03-02T09:00:00.000Z' },
        { type: 'dwell', unit_id: 'a', ms: 5400, client_id: 'event-2', timestamp: '2026-03-02T09:00:00.000Z' },
        { type: 'like', unit_id: 'a', client_id: 'event-3', timestamp: '2026-03-02T09:00:00.000Z' },
      ],
    ])
  })

  it('sends at once when a batch is full', async () => {
    const { signals, sent } = setup({ batchSize: 2 })
    signals.track({ type: 'impression', unit_id: 'a' })
    signals.track({ type: 'impression', unit_id: 'b' })
    await Promise.resolve()
    expect(sent).toHaveLength(1)
    expect(sent[0]!.map((event) => event.unit_id)).toEqual(['a', 'b'])
  })

  it('keeps events and answers offline and delivers them in order when the network returns', async () => {
    const { signals, sent, answers, outbox, setOnline, fireTimers } = setup()
    setOnline(false)
    signals.track({ type: 'impression', unit_id: 'q1' })
    await fireTimers()
    expect(await signals.answer('q1', { answer: 1, time_ms: 3000 })).toEqual({ queued: true })
    expect((await outbox.list()).map((entry) => entry.item.kind)).toEqual(['events', 'answer'])

    // Still offline: a sync attempt keeps everything.
    await signals.sync()
    expect(await outbox.list()).toHaveLength(2)

    setOnline(true)
    await signals.sync()
    expect(sent.map((batch) => batch.map((event) => event.client_id))).toEqual([['event-1']])
    expect(answers).toEqual([{ unitId: 'q1', input: { answer: 1, time_ms: 3000 } }])
    expect(await outbox.list()).toEqual([])
  })

  it('keeps a batch flushed offline in the outbox without trying the network', async () => {
    const sendEvents = vi.fn(async () => {})
    const { signals, outbox, setOnline } = setup({ sendEvents })
    signals.track({ type: 'impression', unit_id: 'a' })
    setOnline(false)
    // The page is going away (or the network just went): nothing is sent, everything is kept.
    await signals.flush({ keepalive: true })
    expect(sendEvents).not.toHaveBeenCalled()
    expect((await outbox.list()).map((entry) => entry.item)).toEqual([{ kind: 'events', events: [expect.objectContaining({ type: 'impression', unit_id: 'a', client_id: 'event-1' })] }])
  })

  it('answers online with the server’s verdict', async () => {
    const { signals } = setup()
    expect(await signals.answer('q1', { answer: 2, time_ms: 1200 })).toEqual({ queued: false, result: { correct: false, correct_answer: 1, explanation: 'Because.' } })
  })

  it('drops what the server refuses for good (4xx) instead of retrying it forever, but keeps what may pass later (5xx)', async () => {
    const onError = vi.fn()
    const failures = [new ApiError(503, { code: 'unavailable', message: 'down', requestId: '1' }), new ApiError(422, { code: 'validation_failed', message: 'bad', requestId: '2' })]
    const { signals, outbox, fireTimers } = setup({
      onError,
      sendEvents: async () => {
        throw failures.shift()
      },
    })
    signals.track({ type: 'impression', unit_id: 'a' })
    await fireTimers()
    expect(await outbox.list()).toHaveLength(1)
    await signals.sync()
    expect(await outbox.list()).toEqual([])
    expect(onError).toHaveBeenCalledOnce()
  })

  it('forgets everything unsent on discard (the next learner on this device must not send it)', async () => {
    const { signals, sent, outbox, setOnline, fireTimers } = setup()
    setOnline(false)
    signals.track({ type: 'like', unit_id: 'a' })
    await fireTimers()
    signals.track({ type: 'save', unit_id: 'b' })
    await signals.discard()
    setOnline(true)
    await fireTimers()
    await signals.sync()
    expect(sent).toEqual([])
    expect(await outbox.list()).toEqual([])
  })
})
