import http from 'node:http'
import net from 'node:net'

/**
 * A tiny HTTP proxy on 127.0.0.1: CONNECT tunnels (https) and
 * forwarded absolute-URI requests (plain http). It alone resolves the names in `hosts`, so a run that
 * reaches such a name went through it. It logs one line per tunnel or forwarded request.
 */
export interface LocalProxy {
  url: string
  log: string[]
  stop(): Promise<void>
}

export async function startLocalProxy(hosts: Record<string, string>): Promise<LocalProxy> {
  const log: string[] = []
  const sockets = new Set<net.Socket>()
  const resolve = (hostname: string): string | undefined => hosts[hostname]

  const server = http.createServer((request, response) => {
    const target = new URL(request.url ?? '')
    const address = resolve(target.hostname)
    log.push(`${request.method} ${target.href}`)
    if (!address) return void response.writeHead(502).end()
    const upstream = http.request(
      { host: address, port: target.port, method: request.method, path: target.pathname + target.search, headers: request.headers },
      answer => {
        response.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(response)
      }
    )
    upstream.on('error', () => response.destroy())
    request.pipe(upstream)
  })
  server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const [hostname, port] = (request.url ?? '').split(':')
    const address = resolve(hostname)
    log.push(`CONNECT ${request.url}`)
    if (!address) return void client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n')
    const upstream = net.connect(Number(port), address, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client).pipe(upstream)
    })
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('error', () => socket.destroy())
      socket.on('close', () => sockets.delete(socket))
    }
  })
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as net.AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    stop: () =>
      new Promise<void>(done => {
        sockets.forEach(socket => socket.destroy())
        server.close(() => done())
      })
  }
}
