/**
 * QR codes for printing (issue 14: the certificate's verify link). Pure: the module grid comes from
 * `qrcode-generator` (MIT, no dependencies); the SVG and the PNG are written here, the PNG with
 * node:zlib (deflate and CRC-32) and nothing else.
 *
 * Error correction level Q (about 25 % of the symbol may be lost: a printed certificate gets
 * scuffed) and a quiet zone of 4 modules on every side, as ISO/IEC 18004 asks.
 */
import { crc32, deflateSync } from 'node:zlib';
import qrcode from 'qrcode-generator';

export const QR_ERROR_CORRECTION = 'Q';
/** Light modules around the symbol, in modules. */
export const QUIET_ZONE = 4;

/** The symbol's modules, `true` for dark, row by row, without the quiet zone. */
export type QrMatrix = readonly (readonly boolean[])[];

/** The module grid encoding `text` as UTF-8 bytes (byte mode), the smallest version that fits. */
export function qrMatrix(text: string): QrMatrix {
  const qr = qrcode(0, QR_ERROR_CORRECTION);
  // The library takes one byte per char code: hand it the UTF-8 bytes as a binary string.
  qr.addData(Buffer.from(text, 'utf8').toString('latin1'), 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  return Array.from({ length: n }, (_, row) => Array.from({ length: n }, (_, col) => qr.isDark(row, col)));
}

const escapeXml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

/**
 * A standalone SVG: the viewBox in modules (quiet zone included), a white background and one path of
 * the dark modules (runs of a row as one rectangle each), `role="img"` with `text` as its `<title>`.
 * No script, no style sheet, no external reference.
 */
export function qrSvg(text: string): string {
  const m = qrMatrix(text);
  const size = m.length + 2 * QUIET_ZONE;
  let d = '';
  m.forEach((row, y) => {
    for (let x = 0; x < row.length; ) {
      if (!row[x]) {
        x += 1;
        continue;
      }
      let end = x;
      while (end < row.length && row[end]) end += 1;
      d += `M${x + QUIET_ZONE} ${y + QUIET_ZONE}h${end - x}v1h-${end - x}z`;
      x = end;
    }
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="${size * 8}" height="${size * 8}" ` +
    `shape-rendering="crispEdges" role="img">` +
    `<title>${escapeXml(text)}</title>` +
    `<rect width="${size}" height="${size}" fill="#fff"/>` +
    `<path fill="#000" d="${d}"/>` +
    `</svg>\n`
  );
}

/** Largest pixel size of one module in a PNG (a 40-L symbol at 40 is about 7,000 pixels wide). */
export const MAX_PNG_SCALE = 40;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/**
 * A 1-bit grayscale PNG (black on white), `scale` pixels per module, quiet zone included:
 * signature, IHDR, one IDAT (filter 0 on every row, deflated), IEND.
 */
export function qrPng(text: string, scale = 8): Buffer {
  if (!Number.isInteger(scale) || scale < 1 || scale > MAX_PNG_SCALE) throw new RangeError(`scale must be a whole number from 1 to ${MAX_PNG_SCALE}`);
  const m = qrMatrix(text);
  const modules = m.length + 2 * QUIET_ZONE;
  const width = modules * scale;
  const rowBytes = Math.ceil(width / 8);
  const raw = Buffer.alloc((rowBytes + 1) * width);
  for (let py = 0; py < width; py += 1) {
    const offset = py * (rowBytes + 1); // raw[offset] = 0: filter type None
    const my = Math.floor(py / scale) - QUIET_ZONE;
    for (let px = 0; px < width; px += 1) {
      const mx = Math.floor(px / scale) - QUIET_ZONE;
      const dark = m[my]?.[mx] === true;
      // Grayscale 1 bit: 1 is white. Bits fill each byte from the most significant one.
      if (!dark) raw[offset + 1 + (px >> 3)]! |= 0x80 >> (px & 7);
    }
    // Padding bits at the end of a row stay 0; decoders ignore them.
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(width, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // colour type: grayscale
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}
