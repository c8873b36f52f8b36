/**
 * The workstation's Content Security Policy, in one place for the desktop app (app://
 * responses), the browser mode (the built-in server's responses) and the page's own meta
 * tag: scripts only from the app itself plus WebAssembly compilation for the image codecs
 * ('wasm-unsafe-eval'; never 'unsafe-eval' or 'unsafe-inline').
 */
const DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self' http://127.0.0.1:* http://localhost:* https:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
]

export const CONTENT_SECURITY_POLICY = DIRECTIVES.join('; ')

/** The same policy for a <meta> tag, which cannot carry frame-ancestors. */
export const CONTENT_SECURITY_POLICY_META = DIRECTIVES.filter((d) => !d.startsWith('frame-ancestors')).join('; ')
