import { randomUUID } from 'node:crypto'
import type { Ctx } from '../../lib/context.ts'
import type { Role } from '../../lib/platform/define.ts'
import { createApp } from '../../lib/platform/server.ts'
import { httpFunctions, workerFunctions } from '../../functions/registry.ts'
import { runWorkerMessage } from '../../lib/queue/consumer.ts'
import { outboxDirectory, readOutbox, type OutboxMessage } from '../../lib/mail/outbox.ts'
import { createPasswordUser } from '../../lib/accounts/register.ts'
import { startSession } from '../../lib/auth/sessions.ts'
import { accountMailQueue } from '../../lib/accounts/account-mail.ts'
import { starterTopicId } from '../../lib/content/starter-sql.ts'

/** Every HTTP function of the registry in one app, as the runner serves them. */
export function registryApp(ctx: Ctx) {
  return createApp(ctx, httpFunctions().map(([, fn]) => fn))
}

export interface CallOptions {
  token?: string
  body?: unknown
  /** Sent as X-Forwarded-For; the context must set TRUST_PROXY for the server to use it. */
  ip?: string
  headers?: Record<string, string>
}

export interface CallResult<T = Record<string, unknown>> {
  status: number
  body: T
  headers: Headers
}

// Response bodies are untyped JSON; tests read fields without a cast at every step.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function call<T = Record<string, any>>(app: ReturnType<typeof createApp>, method: string, path: string, options: CallOptions = {}): Promise<CallResult<T>> {
  const headers: Record<string, string> = { ...options.headers }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  if (options.ip) headers['x-forwarded-for'] = options.ip
  let body: string | undefined
  if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json'
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
  }
  const response = await app.request(path, { method, headers, body })
  const text = await response.text()
  // Text responses (CSV exports) come back as the string; everything else is JSON.
  const isText = response.headers.get('content-type')?.startsWith('text/') ?? false
  return { status: response.status, body: (text ? (isText ? text : JSON.parse(text)) : null) as T, headers: response.headers }
}

/** A fresh account and a session for it, made directly through the library (no rate limits). */
export async function createSignedInUser(ctx: Ctx, options: { role?: Role; email?: string; password?: string; name?: string } = {}) {
  const email = options.email ?? `user-${randomUUID()}@example.com`
  const password = options.password ?? 'a perfectly fine passphrase'
  const user = await createPasswordUser(ctx, { email, password, name: options.name ?? 'Test User', role: options.role })
  const session = await startSession(ctx, user, { ip: '198.51.100.7', userAgent: 'vitest', rememberMe: false })
  return { user, email, password, accessToken: session.access_token, refreshToken: session.refresh_token, sessionId: session.sessionId }
}

/** Runs the account-mail worker over every queued message, as the consumer would. */
export async function deliverAccountMail(ctx: Ctx): Promise<number> {
  const [, worker] = workerFunctions().find(([, fn]) => fn.queue === accountMailQueue)!
  let delivered = 0
  for (;;) {
    const messages = await ctx.queue.receive(accountMailQueue, { max: 10, visibilityTimeoutSeconds: 60 })
    if (messages.length === 0) return delivered
    for (const message of messages) {
      const result = await runWorkerMessage(ctx, worker, message)
      if (!result.ok) throw new Error(`account mail failed: ${result.error}`)
      await ctx.queue.ack(message)
      delivered += 1
    }
  }
}

export async function outbox(ctx: Ctx): Promise<OutboxMessage[]> {
  return readOutbox(outboxDirectory(ctx.config))
}

/** The token of the newest mail to `to` whose subject matches. */
export async function mailedToken(ctx: Ctx, to: string, subject: RegExp): Promise<string> {
  const mail = (await outbox(ctx)).filter((message) => message.to === to && subject.test(message.subject)).at(-1)
  if (!mail) throw new Error(`no mail to ${to} matching ${subject}`)
  return /#token=([\w-]+)/.exec(mail.text)![1]!
}

/** A signed-in learner following the starter topics with these slugs. */
export async function createLearnerFollowing(ctx: Ctx, ...slugs: string[]) {
  const session = await createSignedInUser(ctx)
  for (const slug of slugs) await ctx.sql`insert into topic_follows (user_id, topic_id) values (${session.user.id}, ${starterTopicId(slug)})`
  return session
}
