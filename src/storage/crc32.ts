// CRC-32 (IEEE 802.3, polynomial 0xEDB88320 reflected), as zlib and PNG compute it. Pure.
// Chosen over ZooKeeper's Adler32 because it catches short burst errors (torn sectors) better.

const CRC32_TABLE: Uint32Array = buildTable();

function buildTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
    }
    table[byte] = crc >>> 0;
  }
  return table;
}

/** Continues a running CRC: pass the previous result as `crc` (start with 0). */
export function crc32Update(crc: number, bytes: Uint8Array, start = 0, end = bytes.length): number {
  let value = ~crc >>> 0;
  for (let index = start; index < end; index++) {
    value = CRC32_TABLE[(value ^ bytes[index]!) & 0xff]! ^ (value >>> 8);
  }
  return ~value >>> 0;
}

export function crc32(bytes: Uint8Array): number {
  return crc32Update(0, bytes);
}
