import type {
  AnswerInput,
  AnswerResult,
  ApiErrorBody,
  BranchKind,
  ContextMode,
  CreatedTopic,
  FeedEvent,
  FeedPage,
  FieldProblem,
  Preferences,
  PreferencesChange,
  ReportReason,
  Session,
  SignedIn,
  Topic,
  TokenPair,
  User,
} from './types.ts'

/**
 * The typed client for /api/v1 (same origin).
 *
 * Tokens: the access token (15 minutes) lives only in memory, so script injected into the page
 * after load is the only thing that could read it. The refresh token must survive a reload, so it
 * sits in Web Storage: localStorage when "remember me" is ticked (and after sign-up), sessionStorage
 * otherwise, which the browser drops with the tab. Web Storage is readable by any script on the
 * origin, which an httpOnly cookie would not be; we accept that because the API is also served
 * from Function Compute on other domains, where cookies would need cross-site settings and CSRF
 * defences, and the server limits the damage: refresh tokens rotate on every use and a reused
 * one ends the whole session (RFC 9700 §4.14.2), and sign-out revokes it server-side.
 *
 * Because of that reuse detection, two refreshes with the same token would sign the learner out:
 * refreshes are single-flight within a tab and serialized across tabs with the Web Locks API,
 * re-reading the stored token inside the lock (another tab may have rotated it meanwhile).
 */

export class ApiError extends Error {
  readonly code: string
  readonly status: number
  readonly requestId: string | null
  readonly details: unknown

  constructor(status: number, body: ApiErrorBody['error']) {
    super(body.message)
    this.name = 'ApiError'
    this.code = body.code
    this.status = status
    this.requestId = body.requestId || null
    this.details = body.details
  }

  /** Per-field messages from a 422: validation problems, or a weak password's reason. */
  fieldErrors(): Record<string, string> {
    const fields: Record<string, string> = {}
    if (Array.isArray(this.details)) {
      for (const problem of this.details as FieldProblem[]) {
        const field = problem.path.split('.')[0] || problem.in
        fields[field] ??= problem.message
      }
    } else if (this.details && typeof this.details === 'object' && 'field' in this.details) {
      fields[String((this.details as { field: unknown }).field)] = this.message
    }
    return fields
  }
}

/** The request never reached the server (offline, DNS, connection reset). */
export class OfflineError extends Error {
  constructor(cause?: unknown) {
    super('The network is unreachable.', { cause })
    this.name = 'OfflineError'
  }
}

export function isOffline(error: unknown): error is OfflineError {
  return error instanceof OfflineError
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface RequestOptions {
  body?: unknown
  query?: Record<string, string | number | undefined>
  /** Send the access token (default) and refresh it on a 401. */
  auth?: boolean
  signal?: AbortSignal
  /** Let the request outlive the page (events flushed on page hide). */
  keepalive?: boolean
}

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>
}

export interface ApiClientOptions {
  fetch?: typeof fetch
  /** Where refresh tokens persist; resolved lazily so the module can load before the DOM. */
  storage?: () => { local: Storage; session: Storage }
  locks?: () => LockManagerLike | undefined
  now?: () => number
  baseUrl?: string
}

const refreshKey = 'noleij.refresh'
const userKey = 'noleij.user'
/** Refresh this long before the access token expires rather than waiting for the 401. */
const expirySlackMs = 15_000

export type ApiClient = ReturnType<typeof createApiClient>

export function createApiClient(options: ApiClientOptions = {}) {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init))
  const storage = options.storage ?? (() => ({ local: globalThis.localStorage, session: globalThis.sessionStorage }))
  const locks = options.locks ?? (() => (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks)
  const now = options.now ?? Date.now
  const baseUrl = options.baseUrl ?? '/api/v1'

  let accessToken: string | null = null
  let accessExpiresAt = 0
  let refreshing: Promise<void> | null = null
  const signedOutListeners = new Set<() => void>()

  function storedIn(): Storage | null {
    const { local, session } = storage()
    if (local.getItem(refreshKey)) return local
    if (session.getItem(refreshKey)) return session
    return null
  }

  function readRefreshToken(): string | null {
    return storedIn()?.getItem(refreshKey) ?? null
  }

  function acceptTokens(pair: TokenPair, target: Storage) {
    accessToken = pair.access_token
    accessExpiresAt = now() + pair.expires_in * 1000
    target.setItem(refreshKey, pair.refresh_token)
  }

  function clearTokens() {
    accessToken = null
    accessExpiresAt = 0
    const { local, session } = storage()
    for (const place of [local, session]) {
      place.removeItem(refreshKey)
      place.removeItem(userKey)
    }
  }

  function endSession() {
    const hadSession = accessToken !== null || readRefreshToken() !== null
    clearTokens()
    if (hadSession) for (const listener of signedOutListeners) listener()
  }

  async function send(method: Method, path: string, request: RequestOptions, withToken: boolean): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (request.body !== undefined) headers['content-type'] = 'application/json'
    if (withToken && accessToken) headers.authorization = `Bearer ${accessToken}`
    let url = baseUrl + path
    const query = Object.entries(request.query ?? {}).filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    if (query.length > 0) url += `?${new URLSearchParams(query.map(([key, value]) => [key, String(value)]))}`
    try {
      return await doFetch(url, {
        method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: request.signal,
        keepalive: request.keepalive,
        credentials: 'same-origin',
      })
    } catch (error) {
      if ((error as { name?: string }).name === 'AbortError') throw error
      throw new OfflineError(error)
    }
  }

  async function failure(response: Response): Promise<ApiError> {
    const requestId = response.headers.get('x-request-id') ?? ''
    try {
      const body = (await response.json()) as Partial<ApiErrorBody>
      if (body.error && typeof body.error.code === 'string') return new ApiError(response.status, { ...body.error, requestId: body.error.requestId ?? requestId })
    } catch {
      // not JSON: a proxy or gateway answered
    }
    return new ApiError(response.status, { code: response.status >= 500 ? 'unavailable' : 'bad_response', message: response.statusText || `HTTP ${response.status}`, requestId })
  }

  async function refreshOnce(): Promise<void> {
    const run = async () => {
      const target = storedIn()
      const token = target?.getItem(refreshKey)
      if (!target || !token) {
        endSession()
        throw new ApiError(401, { code: 'unauthorized', message: 'Sign in to continue.', requestId: '' })
      }
      const response = await send('POST', '/auth/refresh', { body: { refresh_token: token } }, false)
      if (!response.ok) {
        const error = await failure(response)
        // A refused token cannot become valid again; anything else (rate limit, outage) may pass.
        if (response.status === 401) endSession()
        throw error
      }
      acceptTokens((await response.json()) as TokenPair, target)
    }
    const lockManager = locks()
    await (lockManager ? lockManager.request('noleij-refresh', run) : run())
  }

  /** Single-flight: every caller that needs a fresh token while one is on its way waits for it. */
  function refresh(): Promise<void> {
    refreshing ??= refreshOnce().finally(() => {
      refreshing = null
    })
    return refreshing
  }

  async function request<T>(method: Method, path: string, request: RequestOptions = {}): Promise<T> {
    const auth = request.auth ?? true
    if (auth && readRefreshToken() && (!accessToken || accessExpiresAt - now() < expirySlackMs)) {
      try {
        await refresh()
      } catch (error) {
        // Offline, the service worker may still answer from its cache (the feed's last units).
        if (!isOffline(error)) throw error
      }
    }
    let response = await send(method, path, request, auth)
    if (response.status === 401 && auth && readRefreshToken()) {
      // Expired or revoked between our clock and the server's: refresh once and retry once.
      await refresh()
      response = await send(method, path, request, auth)
    }
    if (!response.ok) {
      const error = await failure(response)
      if (response.status === 401 && auth) endSession()
      throw error
    }
    if (response.status === 204 || response.headers.get('content-length') === '0') return undefined as T
    const type = response.headers.get('content-type') ?? ''
    return (type.includes('json') ? await response.json() : await response.text()) as T
  }

  return {
    request,
    refresh,
    /** Keeps a session from sign-in or sign-up; `remember` chooses localStorage over sessionStorage. */
    startSession(signedIn: SignedIn, remember: boolean) {
      clearTokens()
      const { local, session } = storage()
      const target = remember ? local : session
      acceptTokens(signedIn, target)
      target.setItem(userKey, JSON.stringify(signedIn.user))
    },
    rememberUser(user: User) {
      storedIn()?.setItem(userKey, JSON.stringify(user))
    },
    /** The profile saved with the session, to start offline before the API answers. */
    storedUser(): User | null {
      const raw = storedIn()?.getItem(userKey)
      if (!raw) return null
      try {
        return JSON.parse(raw) as User
      } catch {
        return null
      }
    },
    hasSession: () => readRefreshToken() !== null,
    refreshToken: readRefreshToken,
    /** Forgets the tokens locally (the caller revokes them on the server first). */
    clearSession: clearTokens,
    onSignedOut(listener: () => void): () => void {
      signedOutListeners.add(listener)
      return () => signedOutListeners.delete(listener)
    },
  }
}

/** The endpoints the PWA uses, typed. */
export function endpoints(client: ApiClient) {
  const { request } = client
  return {
    register: (input: { email: string; password: string; name?: string }) => request<SignedIn>('POST', '/auth/register', { body: input, auth: false }),
    login: (input: { email: string; password: string; remember_me: boolean }) => request<SignedIn>('POST', '/auth/login', { body: input, auth: false }),
    logout: (refreshToken: string) => request<void>('POST', '/auth/logout', { body: { refresh_token: refreshToken }, auth: false }),
    logoutEverywhere: () => request<void>('POST', '/auth/logout-all'),
    requestPasswordReset: (email: string) => request<{ message: string }>('POST', '/auth/password-reset/request', { body: { email }, auth: false }),
    confirmPasswordReset: (token: string, password: string) => request<void>('POST', '/auth/password-reset/confirm', { body: { token, password }, auth: false }),
    requestEmailVerification: () => request<void>('POST', '/auth/verify-email/request'),
    confirmEmailVerification: (token: string) => request<void>('POST', '/auth/verify-email/confirm', { body: { token }, auth: false }),
    me: () => request<User>('GET', '/me'),
    updateMe: (changes: { name?: string; locale?: string; timezone?: string }) => request<User>('PUT', '/me', { body: changes }),
    deleteMe: () => request<void>('DELETE', '/me'),
    exportMe: () => request<unknown>('GET', '/me/export'),
    sessions: () => request<{ items: Session[] }>('GET', '/me/sessions'),
    endSession: (id: string) => request<void>('DELETE', `/me/sessions/${encodeURIComponent(id)}`),
    setPreferences: (change: PreferencesChange) => request<Preferences>('PUT', '/me/preferences', { body: change }),
    topics: async () => (await request<{ topics: Topic[] }>('GET', '/topics')).topics,
    createTopic: (prompt: string) => request<CreatedTopic>('POST', '/topics', { body: { prompt } }),
    unfollowTopic: (id: string) => request<void>('DELETE', `/topics/${encodeURIComponent(id)}/follow`),
    nextUnits: (options: { limit: number; mode: ContextMode; signal?: AbortSignal }) =>
      request<FeedPage>('GET', '/feed/next', { query: { limit: options.limit, mode: options.mode }, signal: options.signal }),
    sendEvents: (events: FeedEvent[], keepalive = false) => request<void>('POST', '/feed/events', { body: { events }, keepalive }),
    answer: (unitId: string, input: AnswerInput) => request<AnswerResult>('POST', `/quizzes/${encodeURIComponent(unitId)}/answers`, { body: input }),
    branch: (unitId: string, kind: BranchKind) => request<unknown>('POST', `/units/${encodeURIComponent(unitId)}/branch`, { body: { kind } }),
    ask: (unitId: string, question: string) => request<{ answer: string }>('POST', `/units/${encodeURIComponent(unitId)}/ask`, { body: { question } }),
    report: (unitId: string, reason: ReportReason, detail?: string) =>
      request<unknown>('POST', `/units/${encodeURIComponent(unitId)}/report`, { body: detail ? { reason, detail } : { reason } }),
  }
}

export const client = createApiClient()
export const api = endpoints(client)
