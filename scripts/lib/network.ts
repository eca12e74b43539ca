// A simulated network on 127.0.0.1: a TCP proxy in front of the emulator that makes every byte pay what a
// distant server would cost, so that the cost of opening connections shows the way it does on a real network.
//
// - Round-trip time: every chunk, in either direction, is held for half the RTT before it is passed on (a delay
//   line, order kept, no bandwidth limit), so a request and its response cost one RTT plus the server's time.
// - Connection set-up: a new connection carries nothing to the server until `connectMs` after it was accepted
//   (then half the RTT as any byte), standing for the TCP and TLS handshakes a client waits for before its first
//   request can leave (TCP 1 RTT + TLS 1.3 1 RTT = 100 ms at 50 ms RTT). Later requests on the same keep-alive
//   connection pay only the RTT; a process that opens its own connection pays the set-up again.
// Not modelled: DNS, the handshakes' CPU work, bandwidth and TCP slow start (the bodies here are a few KB).
import { Agent, get } from 'node:http'
import { createServer, connect, type Server, type Socket } from 'node:net'

export interface NetworkShape {
  rttMs: number
  connectMs: number
}

export interface SimulatedNetwork extends NetworkShape {
  /** `http://127.0.0.1:port`: the emulator behind the simulated network. */
  url: string
  /** Connections accepted so far (each one paid the set-up once). */
  connections(): number
  /** Per connection from the `from`-th one (0-based), the request lines it carried, e.g. `POST /api/0/…/releases/`. */
  requestsBy(from: number): string[][]
  close(): Promise<void>
}

const REQUEST_LINE = /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (\S+?)(?:\?\S*)? HTTP\/1\.[01]\r\n/

/** Passes chunks (and the end) on to `write` each no earlier than its due time, in the order they came. */
class DelayLine {
  private readonly queue: Array<{ due: number; chunk: Buffer | null }> = []
  private timer: NodeJS.Timeout | undefined
  constructor(private readonly write: (chunk: Buffer | null) => void) {}

  push(due: number, chunk: Buffer | null): void {
    this.queue.push({ due, chunk })
    if (!this.timer) this.arm()
  }

  stop(): void {
    clearTimeout(this.timer)
    this.queue.length = 0
  }

  private arm(): void {
    const head = this.queue[0]
    if (!head) {
      this.timer = undefined
      return
    }
    this.timer = setTimeout(
      () => {
        const now = performance.now()
        while (this.queue.length > 0 && this.queue[0].due <= now) this.write(this.queue.shift()!.chunk)
        this.arm()
      },
      Math.max(0, head.due - performance.now())
    )
  }
}

/** Starts the proxy for the HTTP server at `upstreamUrl` (127.0.0.1 only). */
export async function startSimulatedNetwork(upstreamUrl: string, shape: NetworkShape): Promise<SimulatedNetwork> {
  const upstream = new URL(upstreamUrl)
  if (upstream.hostname !== '127.0.0.1' || upstream.protocol !== 'http:') {
    throw new Error(`simulated network: http://127.0.0.1 only, got ${upstreamUrl}`)
  }
  const oneWay = shape.rttMs / 2
  const sockets = new Set<Socket>()
  const carried: string[][] = []
  const server: Server = createServer(client => {
    const requests: string[] = []
    carried.push(requests)
    const opened = performance.now()
    const server = connect(Number(upstream.port), upstream.hostname)
    for (const socket of [client, server]) {
      sockets.add(socket)
      socket.setNoDelay(true)
      socket.on('close', () => sockets.delete(socket))
    }
    const toServer = new DelayLine(chunk => (chunk ? server.write(chunk) : server.end()))
    const toClient = new DelayLine(chunk => (chunk ? client.write(chunk) : client.end()))
    // Client bytes wait for the handshakes, then cross; server bytes only cross.
    const upDue = (): number => Math.max(performance.now(), opened + shape.connectMs) + oneWay
    let clientDone = false
    const clientEnd = (): void => {
      if (!clientDone) toServer.push(upDue(), null)
      clientDone = true
    }
    client.on('data', (chunk: Buffer) => {
      // A request head comes in one chunk here (small requests, no pipelining): its first line names the request.
      const line = REQUEST_LINE.exec(chunk.subarray(0, 2048).toString('latin1'))
      if (line) requests.push(`${line[1]} ${line[2]}`)
      toServer.push(upDue(), chunk)
    })
    client.on('end', clientEnd)
    server.on('data', chunk => toClient.push(performance.now() + oneWay, chunk))
    server.on('end', () => toClient.push(performance.now() + oneWay, null))
    const teardown = (): void => {
      toServer.stop()
      toClient.stop()
      client.destroy()
      server.destroy()
    }
    client.on('error', teardown)
    server.on('error', teardown)
    client.on('close', clientEnd)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (!address || typeof address !== 'object') throw new Error('simulated network: no address')
  return {
    ...shape,
    url: `http://127.0.0.1:${address.port}`,
    connections: () => carried.length,
    requestsBy: from => carried.slice(from).map(requests => [...requests]),
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      })
  }
}

/** One GET of `url` through `agent`, timed from the call to the last byte of the body. */
function timedGet(url: string, agent: Agent): Promise<number> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    get(url, { agent }, res => {
      res.resume()
      res.on('end', () => resolve(performance.now() - started))
      res.on('error', reject)
    }).on('error', reject)
  })
}

/** `times` keep-alive clients, each timing a request on a new connection and a second one on the same connection. */
export async function calibrate(network: SimulatedNetwork, times: number): Promise<Array<{ first: number; second: number }>> {
  const url = `${network.url}/__emulator/requests`
  const samples: Array<{ first: number; second: number }> = []
  for (let i = 0; i < times; i++) {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const before = network.connections()
    const first = await timedGet(url, agent)
    const second = await timedGet(url, agent)
    agent.destroy()
    const opened = network.connections() - before
    if (opened !== 1) throw new Error(`simulated network check: ${opened} connections for two keep-alive requests`)
    samples.push({ first, second })
  }
  return samples
}
