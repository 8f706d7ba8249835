// A QR code encoder (ISO/IEC 18004, model 2; byte mode; the smallest version that fits; the
// mask with the lowest penalty) drawn as SVG: the connect dialog shows pairing codes with it,
// with nothing fetched from elsewhere. The same algorithm as the wallet's (ByokyCore/QR).

/** Error-correction codewords per block, by level (L, M, Q, H) then version − 1. */
const ECC_PER_BLOCK = [
  [7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
  [10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
  [13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
  [17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
];

/** Error-correction blocks, by level then version − 1. */
const BLOCKS = [
  [1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
  [1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
  [1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
  [1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
];

/** The levels' indexes and their two format bits. */
const LEVELS = { L: [0, 1], M: [1, 0], Q: [2, 3], H: [3, 2] };

/**
 * A QR code of `bytes` (a string is encoded as UTF-8).
 * @param {string | Uint8Array} data
 * @param {'L'|'M'|'Q'|'H'} [level] error correction (default M, about 15 %)
 * @returns {{ version: number, size: number, mask: number, isDark: (x: number, y: number) => boolean }}
 */
export function encodeQr(data, level = 'M') {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const [li, formatLevel] = LEVELS[level];
  let version = 1;
  while (version <= 40 && !fits(bytes.length, version, li)) version++;
  if (version > 40) throw new RangeError(`${bytes.length} bytes do not fit in a QR code`);
  const codewords = interleave(dataCodewords(bytes, version, li), version, li);
  const base = new Matrix(version);
  base.drawFunctionPatterns();
  base.placeData(codewords);
  let best = null;
  for (let mask = 0; mask < 8; mask++) {
    const candidate = base.copy();
    candidate.applyMask(mask);
    candidate.drawFormatBits(formatLevel, mask);
    const penalty = candidate.penalty();
    if (!best || penalty < best.penalty) best = { mask, penalty, modules: candidate.modules };
  }
  const size = base.size;
  const modules = best.modules;
  return {
    version, size, mask: best.mask,
    isDark: (x, y) => x >= 0 && y >= 0 && x < size && y < size && modules[y * size + x],
  };
}

/**
 * The code as an SVG document: dark modules as one path, a quiet zone of `border` modules.
 * @param {ReturnType<typeof encodeQr>} code
 * @param {{ size?: number, border?: number, dark?: string, light?: string }} [options]
 */
export function qrToSvg(code, { size = 200, border = 4, dark = '#000', light = '#fff' } = {}) {
  const span = code.size + 2 * border;
  let path = '';
  for (let y = 0; y < code.size; y++) {
    for (let x = 0; x < code.size; x++) if (code.isDark(x, y)) path += `M${x + border} ${y + border}h1v1h-1z`;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${span} ${span}" width="${size}" height="${size}" shape-rendering="crispEdges" role="img">`
    + `<rect width="${span}" height="${span}" fill="${light}"/><path d="${path}" fill="${dark}"/></svg>`;
}

function rawModules(version) {
  let result = (16 * version + 128) * version + 64;
  if (version >= 2) {
    const alignments = Math.floor(version / 7) + 2;
    result -= (25 * alignments - 10) * alignments - 55;
    if (version >= 7) result -= 36;
  }
  return result;
}

function dataCodewordCount(version, li) {
  return Math.floor(rawModules(version) / 8) - ECC_PER_BLOCK[li][version - 1] * BLOCKS[li][version - 1];
}

function fits(count, version, li) {
  const countBits = version < 10 ? 8 : 16;
  return count < 2 ** countBits && 4 + countBits + 8 * count <= 8 * dataCodewordCount(version, li);
}

function dataCodewords(bytes, version, li) {
  const bits = [];
  const append = (value, count) => { for (let s = count - 1; s >= 0; s--) bits.push((value >>> s) & 1); };
  append(0b0100, 4);
  append(bytes.length, version < 10 ? 8 : 16);
  for (const byte of bytes) append(byte, 8);
  const capacity = 8 * dataCodewordCount(version, li);
  append(0, Math.min(4, capacity - bits.length));
  append(0, (8 - (bits.length % 8)) % 8);
  const codewords = [];
  for (let i = 0; i < bits.length; i += 8) codewords.push(bits.slice(i, i + 8).reduce((b, bit) => (b << 1) | bit, 0));
  for (let pad = 0xec; codewords.length * 8 < capacity; pad ^= 0xec ^ 0x11) codewords.push(pad);
  return codewords;
}

function multiply(left, right) {
  let product = 0;
  for (let bit = 7; bit >= 0; bit--) {
    product = (product << 1) ^ ((product >>> 7) * 0x11d);
    product ^= ((right >>> bit) & 1) * left;
  }
  return product & 0xff;
}

function generator(degree) {
  const result = new Array(degree).fill(0);
  result[degree - 1] = 1;
  let root = 1;
  for (let n = 0; n < degree; n++) {
    for (let i = 0; i < degree; i++) {
      result[i] = multiply(result[i], root);
      if (i + 1 < degree) result[i] ^= result[i + 1];
    }
    root = multiply(root, 0x02);
  }
  return result;
}

function remainder(data, divisor) {
  const result = new Array(divisor.length).fill(0);
  for (const byte of data) {
    const factor = byte ^ result.shift();
    result.push(0);
    for (let i = 0; i < result.length; i++) result[i] ^= multiply(divisor[i], factor);
  }
  return result;
}

function interleave(data, version, li) {
  const blockCount = BLOCKS[li][version - 1];
  const eccLength = ECC_PER_BLOCK[li][version - 1];
  const total = Math.floor(rawModules(version) / 8);
  const shortBlocks = blockCount - (total % blockCount);
  const shortLength = Math.floor(total / blockCount);
  const divisor = generator(eccLength);
  const blocks = [];
  let offset = 0;
  for (let index = 0; index < blockCount; index++) {
    const dataLength = shortLength - eccLength + (index < shortBlocks ? 0 : 1);
    const slice = data.slice(offset, offset + dataLength);
    offset += dataLength;
    const block = [...slice];
    if (index < shortBlocks) block.push(0);
    blocks.push(block.concat(remainder(slice, divisor)));
  }
  const result = [];
  for (let column = 0; column < blocks[0].length; column++) {
    blocks.forEach((block, index) => {
      if (column !== shortLength - eccLength || index >= shortBlocks) result.push(block[column]);
    });
  }
  return result;
}

class Matrix {
  constructor(version) {
    this.version = version;
    this.size = 17 + 4 * version;
    this.modules = new Array(this.size * this.size).fill(false);
    this.isFunction = new Array(this.size * this.size).fill(false);
  }

  copy() {
    const other = new Matrix(this.version);
    other.modules = [...this.modules];
    other.isFunction = this.isFunction;
    return other;
  }

  set(x, y, dark) {
    this.modules[y * this.size + x] = dark;
    this.isFunction[y * this.size + x] = true;
  }

  drawFunctionPatterns() {
    const size = this.size;
    for (let i = 0; i < size; i++) {
      this.set(6, i, i % 2 === 0);
      this.set(i, 6, i % 2 === 0);
    }
    for (const [x, y] of [[3, 3], [size - 4, 3], [3, size - 4]]) {
      for (let dy = -4; dy <= 4; dy++) {
        for (let dx = -4; dx <= 4; dx++) {
          if (x + dx < 0 || x + dx >= size || y + dy < 0 || y + dy >= size) continue;
          const distance = Math.max(Math.abs(dx), Math.abs(dy));
          this.set(x + dx, y + dy, distance !== 2 && distance !== 4);
        }
      }
    }
    const positions = this.alignmentPositions();
    const last = positions.length - 1;
    positions.forEach((x, i) => positions.forEach((y, j) => {
      if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) return;
      for (let dy = -2; dy <= 2; dy++) {
        for (let dx = -2; dx <= 2; dx++) this.set(x + dx, y + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
      }
    }));
    this.drawFormatBits(0, 0);
    this.drawVersionBits();
  }

  alignmentPositions() {
    if (this.version === 1) return [];
    const count = Math.floor(this.version / 7) + 2;
    const step = Math.floor((this.version * 8 + count * 3 + 5) / (count * 4 - 4)) * 2;
    const tail = [];
    for (let i = 1, position = this.size - 7; i < count; i++, position -= step) tail.unshift(position);
    return [6, ...tail];
  }

  drawFormatBits(formatLevel, mask) {
    const size = this.size;
    const data = (formatLevel << 3) | mask;
    let rem = data;
    for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
    const bits = ((data << 10) | rem) ^ 0x5412;
    const bit = (i) => ((bits >>> i) & 1) === 1;
    for (let i = 0; i <= 5; i++) this.set(8, i, bit(i));
    this.set(8, 7, bit(6));
    this.set(8, 8, bit(7));
    this.set(7, 8, bit(8));
    for (let i = 9; i < 15; i++) this.set(14 - i, 8, bit(i));
    for (let i = 0; i < 8; i++) this.set(size - 1 - i, 8, bit(i));
    for (let i = 8; i < 15; i++) this.set(8, size - 15 + i, bit(i));
    this.set(8, size - 8, true);
  }

  drawVersionBits() {
    if (this.version < 7) return;
    let rem = this.version;
    for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
    const bits = (this.version << 12) | rem;
    for (let i = 0; i < 18; i++) {
      const dark = ((bits >>> i) & 1) === 1;
      const a = this.size - 11 + (i % 3);
      const b = Math.floor(i / 3);
      this.set(a, b, dark);
      this.set(b, a, dark);
    }
  }

  placeData(codewords) {
    const size = this.size;
    let bitIndex = 0;
    for (let right = size - 1; right >= 1; right -= 2) {
      if (right === 6) right = 5;
      for (let vertical = 0; vertical < size; vertical++) {
        for (let offset = 0; offset < 2; offset++) {
          const x = right - offset;
          const upward = ((right + 1) & 2) === 0;
          const y = upward ? size - 1 - vertical : vertical;
          if (this.isFunction[y * size + x] || bitIndex >= codewords.length * 8) continue;
          this.modules[y * size + x] = ((codewords[bitIndex >>> 3] >>> (7 - (bitIndex & 7))) & 1) === 1;
          bitIndex++;
        }
      }
    }
  }

  applyMask(mask) {
    const size = this.size;
    const rules = [
      (x, y) => (x + y) % 2 === 0, (x, y) => y % 2 === 0, (x) => x % 3 === 0, (x, y) => (x + y) % 3 === 0,
      (x, y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0, (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
      (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0, (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
    ];
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        if (!this.isFunction[y * size + x] && rules[mask](x, y)) this.modules[y * size + x] = !this.modules[y * size + x];
      }
    }
  }

  penalty() {
    const size = this.size;
    const m = this.modules;
    let score = 0;
    const finderLike = ['10111010000', '00001011101'];
    for (let index = 0; index < size; index++) {
      for (const horizontal of [true, false]) {
        const cells = [];
        for (let p = 0; p < size; p++) cells.push(horizontal ? m[index * size + p] : m[p * size + index]);
        let run = 1;
        for (let p = 1; p <= size; p++) {
          if (p < size && cells[p] === cells[p - 1]) run++;
          else {
            if (run >= 5) score += 3 + run - 5;
            run = 1;
          }
        }
        const text = cells.map((c) => (c ? '1' : '0')).join('');
        for (let start = 0; start + 11 <= size; start++) if (finderLike.includes(text.slice(start, start + 11))) score += 40;
      }
    }
    for (let y = 0; y < size - 1; y++) {
      for (let x = 0; x < size - 1; x++) {
        const c = m[y * size + x];
        if (m[y * size + x + 1] === c && m[(y + 1) * size + x] === c && m[(y + 1) * size + x + 1] === c) score += 3;
      }
    }
    const dark = m.filter(Boolean).length;
    const total = size * size;
    const steps = Math.floor((Math.abs(dark * 20 - total * 10) + total - 1) / total) - 1;
    return score + Math.max(0, steps) * 10;
  }
}
