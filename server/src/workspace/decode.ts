// Decodes a profile's bytes as buildout would read them (UTF-8), saying when they are not text.

import { Buffer, isUtf8 } from 'buffer';

export type Decoded = { text: string } | { error: string };

export function decodeProfile(bytes: Uint8Array): Decoded {
  const probe = bytes.subarray(0, 8192);
  if (probe.includes(0)) return { error: 'This file is binary (it contains NUL bytes), not a buildout profile.' };
  // Validating first and decoding without a fatal TextDecoder is several times faster; a BOM is kept.
  if (!isUtf8(bytes)) return { error: 'This file is not valid UTF-8 text; buildout would fail to read it.' };
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { text: buffer.toString('utf8') };
}
