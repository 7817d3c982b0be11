// Decodes a profile's bytes as buildout would read them (UTF-8), saying when they are not text.

export type Decoded = { text: string } | { error: string };

export function decodeProfile(bytes: Uint8Array): Decoded {
  const probe = bytes.subarray(0, 8192);
  if (probe.includes(0)) return { error: 'This file is binary (it contains NUL bytes), not a buildout profile.' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    return { error: 'This file is not valid UTF-8 text; buildout would fail to read it.' };
  }
}
