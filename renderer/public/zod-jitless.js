// Zod 4 probes `new Function` when its object schemas are created, to compile faster parsers;
// the workstation's CSP forbids eval, so Chromium reports the refused probe as a violation at
// every start. Jitless mode skips the probe (and the compiled parsers the policy refuses anyway).
// A classic script, loaded from index.html before the app's modules, because it must run before
// any schema exists: an import from the app would run after the bundler's hoisted shared chunks.
// Zod reads this global when it loads (zod/v4/core/core.js).
globalThis.__zod_globalConfig = Object.assign({}, globalThis.__zod_globalConfig, { jitless: true })
