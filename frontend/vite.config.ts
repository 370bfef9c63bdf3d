import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import { solidStart } from '@solidjs/start/config'
import { VitePWA } from 'vite-plugin-pwa'
import { staticShell } from './build-tools/static-shell.ts'

const outDir = fileURLToPath(new URL('./dist', import.meta.url))
const shellDir = fileURLToPath(new URL('./.output/shell', import.meta.url))
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string }

const pwa = VitePWA({
  registerType: 'prompt',
  injectRegister: false,
  outDir,
  manifest: {
    name: 'Noleij',
    short_name: 'Noleij',
    description: 'An endless feed of micro-lessons that leaves you smarter.',
    lang: 'en',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    orientation: 'portrait',
    background_color: '#0f1115',
    theme_color: '#4338ca',
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
      { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml' },
    ],
  },
  workbox: {
    globDirectory: outDir,
    globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
    navigateFallback: '/index.html',
    navigateFallbackDenylist: [/^\/api\//],
    cleanupOutdatedCaches: true,
    runtimeCaching: [
      {
        // The next units: fresh when online, the last answer when offline (lib/api.ts clears
        // this cache on sign-out, since the cache key does not carry the user).
        urlPattern: ({ url, sameOrigin }) => sameOrigin && url.pathname === '/api/v1/feed/next',
        handler: 'NetworkFirst',
        options: {
          cacheName: 'noleij-feed',
          networkTimeoutSeconds: 4,
          // Offline reloads ask without a token (it lives in memory); match regardless of Vary.
          matchOptions: { ignoreVary: true },
          expiration: { maxEntries: 20, maxAgeSeconds: 7 * 24 * 3600 },
          cacheableResponse: { statuses: [200] },
          plugins: [
            {
              // An empty page ("all caught up") must not replace the units kept for offline use.
              cacheWillUpdate: async ({ response }) => {
                const page = (await response.clone().json()) as { units?: unknown[] }
                return page.units && page.units.length > 0 ? response : null
              },
            },
          ],
        },
      },
      {
        // Audio never changes once synthesized (its key holds a content hash); signed URLs do,
        // so the signature is left out of the cache key. Ranges are cut from the cached file.
        urlPattern: ({ url }) => url.pathname.endsWith('.mp3'),
        handler: 'CacheFirst',
        // Key order matters: workbox-build adds plugins in this order, and the range plugin must
        // see the response the pack lookup found. These functions are copied into sw.js as text,
        // so they cannot use anything from this file.
        options: {
          cacheName: 'noleij-audio',
          expiration: { maxEntries: 200, maxAgeSeconds: 30 * 24 * 3600 },
          cacheableResponse: { statuses: [200] },
          plugins: [
            {
              // Keeps the request's headers: a bare URL would drop Range, and every seek would
              // get the whole file instead of a 206.
              cacheKeyWillBeUsed: async ({ request }) => {
                const url = new URL(request.url)
                url.search = ''
                return new Request(url.href, { headers: request.headers })
              },
            },
            {
              // Offline packs keep their audio in a cache of their own, under the same unsigned
              // key (frontend/src/components/offline/packs.ts), out of reach of this expiration.
              cachedResponseWillBeUsed: async ({ request, cachedResponse }) => {
                if (cachedResponse) return cachedResponse
                const packs = await caches.open('noleij-packs')
                return (await packs.match(request.url)) ?? null
              },
              // A pack downloads with cache: 'no-store' and keeps the file itself: no second copy here.
              cacheWillUpdate: async ({ request, response }) => (request.cache === 'no-store' ? null : response),
            },
          ],
          rangeRequests: true,
        },
      },
    ],
  },
})

export default defineConfig({
  plugins: [solidStart({ ssr: false, devOverlay: false }), ...staticShell({ outDir, shellDir, pwa })],
  // The solid transform dominates the build on small machines; rolldown's timing advice is noise.
  build: { outDir, target: 'es2022', rolldownOptions: { checks: { bundlerTimings: false } } },
  define: { 'import.meta.env.VITE_APP_VERSION': JSON.stringify(version) },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
})
