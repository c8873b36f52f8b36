/**
 * Ending connections promptly when the server stops. Node's server.close() waits for every open
 * connection except idle keep-alive ones, and a client may hold a connection that has not sent
 * a request yet (fetch opens a spare one after an aborted request): close() then waits for the
 * client to give up, up to headersTimeout (a minute). Once stopping, this ends every connection
 * with no request in flight, and the others as soon as their response is done.
 */
import type { Server } from 'node:http'
import type { Socket } from 'node:net'

export interface ConnectionDrain {
  /** Ends idle and fresh connections now and busy ones after their response; call once, on close. */
  drain(): void
}

export function trackConnections(server: Server): ConnectionDrain {
  const inFlight = new Map<Socket, number>()
  let draining = false

  server.on('connection', (socket: Socket) => {
    inFlight.set(socket, 0)
    socket.once('close', () => inFlight.delete(socket))
  })
  server.on('request', (request, response) => {
    const socket = request.socket
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1)
    // 'close' follows both a finished response and an aborted one
    response.once('close', () => {
      const left = (inFlight.get(socket) ?? 1) - 1
      inFlight.set(socket, left)
      if (draining && left === 0) socket.destroySoon()
    })
  })

  return {
    drain() {
      draining = true
      // destroySoon: whatever was written is still delivered before the socket closes
      for (const [socket, count] of inFlight) if (count === 0) socket.destroySoon()
    },
  }
}
