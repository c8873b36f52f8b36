import { readFileSync } from 'node:fs'
const OrigAB = ArrayBuffer
;(globalThis as any).ArrayBuffer = new Proxy(OrigAB, { construct(target, args) { if (args[0] > 50e6) console.log('ArrayBuffer', args[0], new Error().stack?.split('\n').slice(2, 9).join('\n')); return Reflect.construct(target, args) } })
const origSlice = OrigAB.prototype.slice
OrigAB.prototype.slice = function (a?: number, b?: number) { const r = origSlice.call(this, a, b); if (r.byteLength > 50e6) console.log('slice', r.byteLength, new Error().stack?.split('\n').slice(2, 9).join('\n')); return r }
const OrigU8 = Uint8Array
;(globalThis as any).Uint8Array = new Proxy(OrigU8, { construct(target, args) { if (typeof args[0] === 'number' && args[0] > 50e6) console.log('Uint8Array', args[0], new Error().stack?.split('\n').slice(2, 9).join('\n')); return Reflect.construct(target, args) } })
const { utilities } = await import('@cornerstonejs/metadata')
const b = readFileSync(process.argv[2]!)
const nat: any = await utilities.naturalizePart10Buffer(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength))
console.log(Object.keys(nat).length, nat.TagSpacingFirstDimension, Object.keys(nat).slice(-8))
