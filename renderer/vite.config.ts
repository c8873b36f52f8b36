import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'
import { CONTENT_SECURITY_POLICY_META } from '../shared/content-security-policy.ts'
import { jpeg12LevelShiftFix } from './jpeg12-level-shift-fix.ts'

const root = fileURLToPath(new URL('.', import.meta.url))

/**
 * The workstation's renderer bundle. Cornerstone's image loader locates its decode worker
 * and WASM codecs with `new URL(..., import.meta.url)`, so it must not be pre-bundled; its
 * CommonJS codec glue and dicom-parser then have to be pre-bundled explicitly.
 */
/** Writes the shared CSP into index.html's meta tag, so the page carries the same policy as its responses. */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'workstation-csp-meta',
    transformIndexHtml: (html) => html.replace('%WORKSTATION_CSP%', CONTENT_SECURITY_POLICY_META),
  }
}

export default defineConfig({
  root,
  base: './',
  plugins: [react(), contentSecurityPolicyMeta(), jpeg12LevelShiftFix()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2023',
    chunkSizeWarningLimit: 6000,
    rollupOptions: {
      // the benchmark pages (npm run bench: cache throughput, and the peer path of Cornerstone's
      // wadors loading from a DICOMweb server) are built beside the app; packaging leaves them out
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        bench: fileURLToPath(new URL('./bench.html', import.meta.url)),
        benchWadorsPeer: fileURLToPath(new URL('./bench-wadors-peer.html', import.meta.url)),
        decodeCheck: fileURLToPath(new URL('./decode-check.html', import.meta.url)),
      },
    },
  },
  // the 12-bit JPEG decoder runs in the decode worker: the fix must reach the worker's bundle too
  worker: { format: 'es', plugins: () => [jpeg12LevelShiftFix()] },
  optimizeDeps: {
    exclude: ['@cornerstonejs/dicom-image-loader'],
    include: [
      'dicom-parser',
      '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs',
      '@cornerstonejs/codec-charls/decodewasmjs',
      '@cornerstonejs/codec-openjpeg/decodewasmjs',
      '@cornerstonejs/codec-openjph/wasmjs',
      '@cornerstonejs/codec-libjxl/decodewasmjs',
    ],
  },
  server: { host: '127.0.0.1', strictPort: false },
})
