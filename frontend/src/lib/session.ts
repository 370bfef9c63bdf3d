import { createSignal } from 'solid-js'
import { api, client, isOffline } from './api.ts'
import { signals } from './signals.ts'
import type { SignedIn, User } from './types.ts'

export type SessionStatus = 'restoring' | 'signed-in' | 'signed-out'

const [user, setUser] = createSignal<User | null>(null)
const [status, setStatus] = createSignal<SessionStatus>('restoring')
export { user, status }

client.onSignedOut(() => {
  setUser(null)
  setStatus('signed-out')
})

/**
 * At start: a stored refresh token means a session to resume. Offline, the profile saved with it
 * is enough to open the app on cached units; the token is refreshed when the network returns.
 */
export async function restoreSession(): Promise<void> {
  if (!client.hasSession()) {
    setStatus('signed-out')
    return
  }
  const stored = client.storedUser()
  try {
    const me = await api.me()
    client.rememberUser(me)
    setUser(me)
    setStatus('signed-in')
  } catch (error) {
    if (isOffline(error) && stored) {
      setUser(stored)
      setStatus('signed-in')
    } else if (!client.hasSession()) {
      setStatus('signed-out')
    } else if (stored) {
      // The server failed (5xx) but the session is intact: carry on with what we know.
      setUser(stored)
      setStatus('signed-in')
    } else {
      setStatus('signed-out')
    }
  }
}

const learnerKey = 'noleij.learner'

export function acceptSession(signedIn: SignedIn, remember: boolean) {
  // A session that ended on its own (expired, revoked) left its cached units and unsent signals
  // behind for the same learner; someone else signing in on this device must not inherit them.
  const previous = localStorage.getItem(learnerKey)
  if (previous && previous !== signedIn.user.id) void forgetLearnerData().catch(() => {})
  localStorage.setItem(learnerKey, signedIn.user.id)
  client.startSession(signedIn, remember)
  setUser(signedIn.user)
  setStatus('signed-in')
}

export function updateUser(next: User) {
  client.rememberUser(next)
  setUser(next)
}

/**
 * Units cached for one learner must not be shown to the next one on this device: the feed and
 * audio caches, the offline packs (cache and their index, components/offline/packs.ts) and unsent signals.
 */
async function forgetLearnerData() {
  await signals.discard()
  localStorage.removeItem('noleij.packs')
  if ('caches' in globalThis) await Promise.all(['noleij-feed', 'noleij-audio', 'noleij-packs'].map((name) => caches.delete(name)))
}

export async function signOut(): Promise<void> {
  await signals.flush().catch(() => {})
  const refreshToken = client.refreshToken()
  if (refreshToken) await api.logout(refreshToken).catch(() => {})
  client.clearSession()
  await forgetLearnerData().catch(() => {})
  setUser(null)
  setStatus('signed-out')
}

/** After the account is deleted or every session ended: nothing to revoke, only to forget. */
export async function forgetSession(): Promise<void> {
  client.clearSession()
  await forgetLearnerData().catch(() => {})
  setUser(null)
  setStatus('signed-out')
}
