/**
 * The workstation's Content Security Policy, in one place for the desktop app and the
 * browser mode: scripts only from the app itself plus WebAssembly compilation for the
 * image codecs ('wasm-unsafe-eval'; never 'unsafe-eval' or 'unsafe-inline').
 */
export const CONTENT_SECURITY_POLICY = [
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
].join('; ')
