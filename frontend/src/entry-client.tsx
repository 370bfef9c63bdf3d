// @refresh reload
import { mount, StartClient } from '@solidjs/start/client'
import { registerServiceWorker } from './lib/pwa.ts'
import { restoreSession } from './lib/session.ts'
import { loadSettings } from './lib/settings.ts'
import { startSignals } from './lib/signals.ts'

const settings = loadSettings()
void restoreSession()
startSignals()
// The first render waits for the language's strings (Russian loads on demand): no English flash.
void settings.then(() => mount(() => <StartClient />, document.getElementById('app')!))
void registerServiceWorker()
