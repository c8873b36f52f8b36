/** A free TCP port on the loopback interface, for child servers that cannot bind port 0 themselves. */
import { createServer } from 'node:net'

/**
 * Asks the kernel for an unused loopback port and releases it at once. Another process
 * could take it before the caller binds it; a test harness accepts that small race.
 */
export function getFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address()
      if (address === null || typeof address === 'string') {
        server.close()
        reject(new Error('could not read the port of a probe socket'))
        return
      }
      server.close((error) => (error ? reject(error) : resolve(address.port)))
    })
  })
}
