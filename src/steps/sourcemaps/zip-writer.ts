// A deterministic, append-only ZIP writer shaped like the zip crate's output in sentry-cli's bundles: ASCII names
// (bundle paths are percent-encoded URLs), no flags, deflated entries, 1980-01-01 00:00 timestamps, Unix mode 0644,
// no extra fields, sizes in the local headers (each entry is compressed before it is written), offsets counted from
// the start of the file (after any header before the archive: the bundle's SYSB header). No ZIP64: more than 65535
// entries or 4 GiB fails with a clear message.
import { crc32, deflateRawSync } from 'node:zlib'

/** Where the archive goes: bytes appended in order. */
export interface AppendPort {
  append(data: Uint8Array): Promise<void>
}

/** One entry, compressed and ready to write. */
export interface CompressedEntry {
  name: string
  crc: number
  size: number
  data: Buffer
}

// DOS date of 1980-01-01 (year 0, month 1, day 1) and time 00:00:00, as zip::DateTime::default().
const DOS_DATE = (1 << 5) | 1
const DOS_TIME = 0
const VERSION = 20
// Made by Unix (3) with version 2.0; external attributes: a regular file with mode 0644.
const MADE_BY = (3 << 8) | VERSION
const EXTERNAL_ATTRIBUTES = 0o100644 * 0x10000
const MAX_32 = 0xffffffff

/** Deflates an entry's bytes, on the main thread (step.ts says why: the thread pool's buffers cost more memory than time). */
export function compressEntry(name: string, bytes: Uint8Array): CompressedEntry {
  return { name, crc: crc32(bytes), size: bytes.length, data: deflateRawSync(bytes) }
}

interface CentralRecord {
  name: Buffer
  crc: number
  compressedSize: number
  size: number
  offset: number
}

export class ZipWriter {
  private readonly records: CentralRecord[] = []

  /** `offset`: bytes already written before the archive. */
  constructor(
    private readonly out: AppendPort,
    private offset: number
  ) {}

  async add(entry: CompressedEntry): Promise<void> {
    if (this.records.length === 0xffff) throw new Error('The artifact bundle would hold more than 65535 files (ZIP64 is not supported)')
    const name = Buffer.from(entry.name)
    const record = { name, crc: entry.crc >>> 0, compressedSize: entry.data.length, size: entry.size, offset: this.offset }
    if (record.size > MAX_32 || record.offset + 30 + name.length + entry.data.length > MAX_32) {
      throw new Error(`The artifact bundle would exceed 4 GiB at ${entry.name} (ZIP64 is not supported)`)
    }
    // Local header: signature, version needed, flags 0, the entry's fields, no extra field.
    const header = Buffer.alloc(30)
    header.writeUInt32LE(0x04034b50, 0)
    header.writeUInt16LE(VERSION, 4)
    writeEntryFields(header, 8, record)
    await this.write(Buffer.concat([header, name]))
    await this.write(entry.data)
    this.records.push(record)
  }

  /** Writes the central directory and its end record; the archive is complete. */
  async finish(): Promise<void> {
    const start = this.offset
    for (const record of this.records) {
      // Central header: signature, made by, version needed, flags 0, the entry's fields; extra and comment lengths,
      // disk number and internal attributes 0; external attributes; the local header's offset.
      const header = Buffer.alloc(46)
      header.writeUInt32LE(0x02014b50, 0)
      header.writeUInt16LE(MADE_BY, 4)
      header.writeUInt16LE(VERSION, 6)
      writeEntryFields(header, 10, record)
      header.writeUInt32LE(EXTERNAL_ATTRIBUTES >>> 0, 38)
      header.writeUInt32LE(record.offset, 42)
      await this.write(Buffer.concat([header, record.name]))
    }
    const end = Buffer.alloc(22)
    end.writeUInt32LE(0x06054b50, 0)
    end.writeUInt16LE(this.records.length, 8)
    end.writeUInt16LE(this.records.length, 10)
    end.writeUInt32LE(this.offset - start, 12)
    end.writeUInt32LE(start, 16)
    await this.write(end)
  }

  private async write(data: Buffer): Promise<void> {
    await this.out.append(data)
    this.offset += data.length
  }
}

/** The fields local and central headers share, in order: method (deflate), time, date, CRC-32, sizes, name length. */
function writeEntryFields(header: Buffer, at: number, record: CentralRecord): void {
  header.writeUInt16LE(8, at)
  header.writeUInt16LE(DOS_TIME, at + 2)
  header.writeUInt16LE(DOS_DATE, at + 4)
  header.writeUInt32LE(record.crc, at + 6)
  header.writeUInt32LE(record.compressedSize, at + 10)
  header.writeUInt32LE(record.size, at + 14)
  header.writeUInt16LE(record.name.length, at + 18)
}
