import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)

/** A private CA made for one test run, and a server certificate it signed. */
export interface TestCa {
  /** The CA certificate's PEM file, for NODE_EXTRA_CA_CERTS. */
  caFile: string
  /** The server's key and certificate, for startEmulator({ tls }). */
  tls: { key: string; cert: string }
  remove(): Promise<void>
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']

/** Makes a CA and a certificate for `hosts` (names and IPs) with openssl, in a temp directory. */
export async function makeTestCa(hosts: string[]): Promise<TestCa> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sra-ca-'))
  const file = (name: string): string => path.join(dir, name)
  const openssl = (...args: string[]) => execFileAsync('openssl', args, { cwd: dir })
  const altNames = hosts.map(host => (/^[\d.]+$/.test(host) ? `IP:${host}` : `DNS:${host}`)).join(',')
  await writeFile(file('server.ext'), `subjectAltName=${altNames}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`)
  await openssl(
    'req',
    '-x509',
    ...EC_KEY,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=sentry-release-action test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign'
  )
  await openssl('req', ...EC_KEY, '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${hosts[0]}`)
  await openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-out',
    'server.pem',
    '-extfile',
    'server.ext'
  )
  return {
    caFile: file('ca.pem'),
    tls: { key: await readFile(file('server.key'), 'utf8'), cert: await readFile(file('server.pem'), 'utf8') },
    remove: () => rm(dir, { recursive: true, force: true })
  }
}
