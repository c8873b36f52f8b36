import { createServer } from 'node:net'
const srv = createServer(); await new Promise<void>((r) => srv.listen(0, '0.0.0.0', r))
const port = (srv.address() as { port: number }).port
process.env.ZZ_PORT = String(port)
const { startOrthanc } = await import('./zz-port.ts')
const o = await startOrthanc(); console.log('retried onto', o.url, 'taken was', port); await o.stop()
process.env.ZZ_PORT = String(port)
const m = await import('./zz-port.ts?again')
// force all attempts onto the taken port to see the final error
