// Reading a zip archive as Python's zipfile.ZipFile does (Lib/zipfile: _EndRecData, _RealGetContents, ZipFile.open),
// which is how Sentry opens an artifact bundle (models/artifactbundle.py ArtifactBundleArchive).
import { crc32, inflateRawSync } from 'node:zlib'

export interface ZipEntry {
  name: string
  method: number
  flags: number
  crc: number
  compressedSize: number
  size: number
  /** Where the local header is, after the `concat` correction. */
  headerOffset: number
}

export interface ZipArchive {
  entries: ZipEntry[]
  /**
   * Bytes before the archive that its offsets do not count (zipfile's `concat`): 0 when the offsets are absolute
   * in the file (symbolic's bundles: the 8-byte SYSB header, then a zip whose offsets include it).
   */
  concat: number
  /** The uncompressed bytes of a member, checked like ZipFile.read (header magic, name, CRC-32); throws BadZip. */
  read(name: string): Buffer
}

/** zipfile.BadZipFile, or any other error zipfile raises while reading. */
export class BadZip extends Error {}

/** Record signatures and fixed sizes: end of central directory, central directory entry, local file header. */
const EOCD_SIGNATURE = 0x06054b50,
  EOCD_SIZE = 22
const CENTRAL_SIGNATURE = 0x02014b50,
  CENTRAL_SIZE = 46
const LOCAL_SIGNATURE = 0x04034b50,
  LOCAL_SIZE = 30
const MAX_COMMENT = 0xffff
const ZIP64_MARKER = 0xffffffff
/** Compression methods and general-purpose flags. */
const STORED = 0,
  DEFLATED = 8
const FLAG_ENCRYPTED = 0x1,
  FLAG_UTF8 = 0x800

/** The end-of-central-directory record: at the very end, else the last one within a maximal comment's reach. */
function findEndRecord(data: Buffer): number {
  const last = data.length - EOCD_SIZE
  if (last >= 0 && data.readUInt32LE(last) === EOCD_SIGNATURE && data.readUInt16LE(last + 20) === 0) return last
  const from = Math.max(0, data.length - MAX_COMMENT - EOCD_SIZE)
  const at = data.subarray(from).lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  if (at < 0 || from + at > last) throw new BadZip('File is not a zip file')
  return from + at
}

/** Names are UTF-8 with flag bit 11, else code page 437 (ASCII is all bundles use). */
function decodeName(bytes: Buffer, flags: number): string {
  return bytes.toString(flags & FLAG_UTF8 ? 'utf8' : 'latin1')
}

function readEntries(data: Buffer, start: number, size: number, concat: number): ZipEntry[] {
  const entries: ZipEntry[] = []
  let at = start
  while (at < start + size) {
    if (at + CENTRAL_SIZE > data.length || data.readUInt32LE(at) !== CENTRAL_SIGNATURE) {
      throw new BadZip('Bad magic number for central directory')
    }
    const flags = data.readUInt16LE(at + 8)
    const nameLength = data.readUInt16LE(at + 28)
    const extraLength = data.readUInt16LE(at + 30)
    const commentLength = data.readUInt16LE(at + 32)
    const offset = data.readUInt32LE(at + 42)
    if (offset === ZIP64_MARKER) throw new BadZip('zip64 archives are not read by the emulator')
    entries.push({
      name: decodeName(data.subarray(at + CENTRAL_SIZE, at + CENTRAL_SIZE + nameLength), flags),
      method: data.readUInt16LE(at + 10),
      flags,
      crc: data.readUInt32LE(at + 16),
      compressedSize: data.readUInt32LE(at + 20),
      size: data.readUInt32LE(at + 24),
      headerOffset: offset + concat
    })
    at += CENTRAL_SIZE + nameLength + extraLength + commentLength
  }
  return entries
}

function readMember(data: Buffer, entry: ZipEntry): Buffer {
  const at = entry.headerOffset
  if (at < 0 || at + LOCAL_SIZE > data.length || data.readUInt32LE(at) !== LOCAL_SIGNATURE) {
    throw new BadZip('Bad magic number for file header')
  }
  const nameLength = data.readUInt16LE(at + 26)
  const extraLength = data.readUInt16LE(at + 28)
  const headerName = decodeName(data.subarray(at + LOCAL_SIZE, at + LOCAL_SIZE + nameLength), entry.flags)
  if (headerName !== entry.name) throw new BadZip(`File name in directory '${entry.name}' and header '${headerName}' differ.`)
  if (entry.flags & FLAG_ENCRYPTED) throw new BadZip(`File '${entry.name}' is encrypted, password required for extraction`)
  const begin = at + LOCAL_SIZE + nameLength + extraLength
  const raw = data.subarray(begin, begin + entry.compressedSize)
  let content: Buffer
  if (entry.method === STORED) content = raw
  else if (entry.method === DEFLATED) {
    try {
      content = inflateRawSync(raw)
    } catch (e) {
      throw new BadZip(`Error -3 while decompressing data: ${(e as Error).message}`)
    }
  } else {
    // zipfile also reads bzip2 (12) and lzma (14); no bundle writer uses them and node has neither.
    throw new BadZip('That compression method is not supported')
  }
  if (crc32(content) !== entry.crc) throw new BadZip(`Bad CRC-32 for file '${entry.name}'`)
  return content
}

/** Opens an archive like zipfile.ZipFile(fileobj); throws BadZip where zipfile raises. */
export function openZip(data: Buffer): ZipArchive {
  const end = findEndRecord(data)
  const size = data.readUInt32LE(end + 12)
  const offset = data.readUInt32LE(end + 16)
  if (offset === ZIP64_MARKER) throw new BadZip('zip64 archives are not read by the emulator')
  // zipfile's concat: data before the archive that its recorded offsets leave out (self-extracting archives).
  const concat = end - size - offset
  if (concat < 0) throw new BadZip('Bad offset for central directory')
  const entries = readEntries(data, offset + concat, size, concat)
  return {
    entries,
    concat,
    read(name) {
      // zipfile keeps the last entry of a repeated name.
      const entry = entries.filter(e => e.name === name).pop()
      if (!entry) throw new BadZip(`There is no item named '${name}' in the archive`)
      return readMember(data, entry)
    }
  }
}
