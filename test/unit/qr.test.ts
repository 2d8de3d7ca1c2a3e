/**
 * QR codes of the certificate check (issue 14): the SVG's and the PNG's modules are the encoder's
 * matrix (the PNG decoded back here from its chunks), and an independent decoder (jsQR) reads exactly
 * the text that was encoded.
 */
import { describe, expect, it } from 'vitest';
import { crc32, inflateSync } from 'node:zlib';
import jsqr from 'jsqr';
import { MAX_PNG_SCALE, QUIET_ZONE, qrMatrix, qrPng, qrSvg, type QrMatrix } from '#domain/qr.ts';

const URLS = [
  'http://localhost:3001/verify/SQ-2023-000123',
  `https://portal.example.cn/verify/${encodeURIComponent('苏执 1300-0042/A&B')}`,
];

interface Png {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly colourType: number;
  /** One row of pixel values (0 or 1 for 1-bit grayscale) per scanline. */
  readonly pixels: number[][];
}

/** A minimal PNG reader for what qrPng writes: checks signature, chunk order and CRCs, filter 0 rows. */
function readPng(buf: Buffer): Png {
  expect([...buf.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < buf.length; ) {
    const length = buf.readUInt32BE(at);
    const type = buf.subarray(at + 4, at + 8).toString('latin1');
    const data = buf.subarray(at + 8, at + 8 + length);
    expect(buf.readUInt32BE(at + 8 + length), `CRC of ${type}`).toBe(crc32(buf.subarray(at + 4, at + 8 + length)));
    chunks.push({ type, data });
    at += 12 + length;
  }
  expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  const ihdr = chunks[0]!.data;
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const [bitDepth, colourType, compression, filter, interlace] = [...ihdr.subarray(8, 13)];
  expect([compression, filter, interlace]).toEqual([0, 0, 0]);
  const raw = inflateSync(chunks[1]!.data);
  const rowBytes = Math.ceil((width * bitDepth!) / 8);
  expect(raw.length).toBe((rowBytes + 1) * height);
  const pixels: number[][] = [];
  for (let y = 0; y < height; y += 1) {
    const row = raw.subarray(y * (rowBytes + 1), (y + 1) * (rowBytes + 1));
    expect(row[0], 'filter type').toBe(0);
    pixels.push(Array.from({ length: width }, (_, x) => (bitDepth === 1 ? (row[1 + (x >> 3)]! >> (7 - (x & 7))) & 1 : row[1 + x]!)));
  }
  return { width, height, bitDepth: bitDepth!, colourType: colourType!, pixels };
}

/** The matrix with its quiet zone, as the images must show it. */
const withQuietZone = (m: QrMatrix): boolean[][] => {
  const n = m.length + 2 * QUIET_ZONE;
  return Array.from({ length: n }, (_, y) => Array.from({ length: n }, (_, x) => m[y - QUIET_ZONE]?.[x - QUIET_ZONE] === true));
};

// A CommonJS module whose types declare an ES default export: the function is both.
const jsQR = (jsqr as unknown as { default: typeof jsqr.default }).default;

/** Decodes a module grid with jsQR (RGBA, 4 px per module). */
function decodeGrid(grid: readonly (readonly boolean[])[]): string | undefined {
  const px = 4;
  const size = grid.length * px;
  const rgba = new Uint8ClampedArray(size * size * 4);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const v = grid[Math.floor(y / px)]![Math.floor(x / px)] ? 0 : 255;
      rgba.set([v, v, v, 255], (y * size + x) * 4);
    }
  }
  const found = jsQR(rgba, size, size, { inversionAttempts: 'dontInvert' });
  return found ? Buffer.from(found.binaryData).toString('utf8') : undefined;
}

/** The dark modules the SVG's one path draws (each subpath `M x y h w v1 h-w z`). */
function svgGrid(svg: string): boolean[][] {
  const viewBox = /viewBox="0 0 (\d+) (\d+)"/.exec(svg);
  expect(viewBox).not.toBeNull();
  const n = Number(viewBox![1]);
  expect(Number(viewBox![2])).toBe(n);
  const paths = [...svg.matchAll(/<path [^>]*d="([^"]*)"/g)];
  expect(paths).toHaveLength(1);
  const grid = Array.from({ length: n }, () => Array.from({ length: n }, () => false));
  const d = paths[0]![1]!;
  const runs = [...d.matchAll(/M(\d+) (\d+)h(\d+)v1h-(\d+)z/g)];
  expect(runs.map((r) => r[0]).join('')).toBe(d);
  for (const [, x, y, w, back] of runs) {
    expect(back).toBe(w);
    for (let i = 0; i < Number(w); i += 1) {
      expect(grid[Number(y)]![Number(x) + i], 'a module drawn twice').toBe(false);
      grid[Number(y)]![Number(x) + i] = true;
    }
  }
  return grid;
}

describe('qrMatrix', () => {
  it.each(URLS)('encodes exactly the text, read back by an independent decoder: %s', (url) => {
    const m = qrMatrix(url);
    expect(m.length).toBeGreaterThanOrEqual(21);
    expect((m.length - 17) % 4).toBe(0);
    expect(m.every((row) => row.length === m.length)).toBe(true);
    expect(decodeGrid(withQuietZone(m))).toBe(url);
  });

  it('is deterministic', () => {
    expect(qrMatrix(URLS[0]!)).toEqual(qrMatrix(URLS[0]!));
  });
});

describe('qrSvg', () => {
  it.each(URLS)('draws the matrix with its quiet zone, and only it: %s', (url) => {
    const svg = qrSvg(url);
    expect(svgGrid(svg)).toEqual(withQuietZone(qrMatrix(url)));
    expect(decodeGrid(svgGrid(svg))).toBe(url);
  });

  it('is standalone: crisp edges, white background, role and title, no script or external reference', () => {
    const url = `https://portal.example.cn/verify/${encodeURIComponent('A<&>"B')}`;
    const svg = qrSvg(url);
    const n = qrMatrix(url).length + 2 * QUIET_ZONE;
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" /);
    expect(svg).toContain('shape-rendering="crispEdges"');
    expect(svg).toContain('role="img"');
    expect(svg).toContain(`<rect width="${n}" height="${n}" fill="#fff"/>`);
    expect(/<title>([^<]*)<\/title>/.exec(svg)?.[1]).toBe(url.replace(/&/g, '&amp;'));
    expect(svg).not.toMatch(/<script|href|url\(|<style|<image|<foreignObject|\bon[a-z]+=/i);
    // The only URI is the SVG namespace.
    expect(svg.match(/https?:\/\/[^"<]*/g)).toEqual(['http://www.w3.org/2000/svg', url.replace(/&/g, '&amp;')]);
  });

  it('escapes markup in the title', () => {
    const svg = qrSvg('<script>alert(1)</script>&"\'');
    expect(svg).toContain('<title>&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&apos;</title>');
    expect(svg).not.toContain('<script>');
  });
});

describe('qrPng', () => {
  it.each([1, 3, 8])('decodes back to the matrix at scale %i', (scale) => {
    const url = URLS[0]!;
    const png = readPng(qrPng(url, scale));
    const expected = withQuietZone(qrMatrix(url));
    expect(png.bitDepth).toBe(1);
    expect(png.colourType).toBe(0);
    expect(png.width).toBe(expected.length * scale);
    expect(png.height).toBe(png.width);
    // Every pixel of a module has the module's colour (grayscale 1 bit: 0 is black).
    for (let y = 0; y < png.height; y += 1) {
      for (let x = 0; x < png.width; x += 1) {
        const dark = expected[Math.floor(y / scale)]![Math.floor(x / scale)]!;
        if (png.pixels[y]![x] !== (dark ? 0 : 1)) expect.fail(`pixel ${x},${y} should be ${dark ? 'black' : 'white'}`);
      }
    }
    const grid = Array.from({ length: expected.length }, (_, my) => Array.from({ length: expected.length }, (_, mx) => png.pixels[my * scale]![mx * scale] === 0));
    expect(decodeGrid(grid)).toBe(url);
  });

  it('is small', () => {
    expect(qrPng(URLS[1]!, 8).length).toBeLessThan(2000);
  });

  it('refuses a scale out of range', () => {
    for (const scale of [0, -1, 1.5, MAX_PNG_SCALE + 1, Number.NaN]) expect(() => qrPng(URLS[0]!, scale)).toThrow(RangeError);
  });
});
