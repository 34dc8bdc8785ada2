/** Hex text (as EJBCA logs OCSPREQUEST / OCSPRESPONSE) to bytes, with the first problem's offset. */

export type HexResult = { bytes: Uint8Array } | { error: 'odd-length' | 'non-hex'; offset: number };

const HEX_CHAR = /[^0-9a-fA-F]/;

/**
 * Decodes hex in either case. A non-hex character wins over an odd length, and
 * an odd length points at the unpaired last character.
 */
export function decodeHex(text: string): HexResult {
  const bad = HEX_CHAR.exec(text);
  if (bad !== null) return { error: 'non-hex', offset: bad.index };
  if (text.length % 2 !== 0) return { error: 'odd-length', offset: text.length - 1 };
  // Buffer.from(…, 'hex') stops silently at bad input; the checks above rule that out.
  const decoded = Buffer.from(text, 'hex');
  return { bytes: new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.length) };
}
