/**
 * SMS segment counting on texts of 1k, 10k and 60k characters (GSM-7 and UCS-2), as a ratio to a
 * floor measured in the same run: one plain scan of the same text (summing its code units). A count
 * that grows with the text's length keeps the ratio about the same at every size; a quadratic one
 * (as sms-segments-calculator's is) makes it grow with the length. The library is timed too, on
 * the sizes where it finishes in reasonable time (BENCH_SMS_LIBRARY=0 leaves it out).
 */
import { performance } from 'node:perf_hooks';
import { SegmentedMessage } from 'sms-segments-calculator';
import { smsInfo } from '#domain/messages/sms-encoding.ts';

const sizes = [1_000, 10_000, 60_000];
const librarySizes = process.env.BENCH_SMS_LIBRARY === '0' ? [] : [1_000, 10_000];

/** The floor: every code unit read once. */
function scan(text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum += text.charCodeAt(i);
  return sum;
}

/** Best of `runs` timings of `operation`, in ms: the least disturbed by whatever else the machine does. */
function best(runs: number, operation: () => unknown): number {
  let fastest = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    operation();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

const texts = {
  'GSM-7': (length: number) => 'Hola Ana, tu cita es el jueves a las 10:00 {€}. '.repeat(Math.ceil(length / 48)).slice(0, length),
  'UCS-2': (length: number) => 'Hola Zoë 😀, tu cita es el jueves. '.repeat(Math.ceil(length / 34)).slice(0, length),
};

// Warm both up so the first size does not pay for compilation.
for (let i = 0; i < 200; i++) smsInfo(texts['UCS-2'](500)), smsInfo(texts['GSM-7'](500)), scan(texts['GSM-7'](500));

console.log('chars    encoding  floor ms  smsInfo ms  ratio   library ms  library ratio');
for (const [encoding, make] of Object.entries(texts)) {
  for (const size of sizes) {
    const text = make(size);
    const floor = best(20, () => scan(text));
    const ours = best(10, () => smsInfo(text));
    const library = librarySizes.includes(size) ? best(2, () => new SegmentedMessage(text)) : undefined;
    console.log(
      [
        size.toLocaleString('en').padEnd(8),
        encoding.padEnd(9),
        floor.toFixed(3).padStart(8),
        ours.toFixed(3).padStart(11),
        `${(ours / floor).toFixed(0)}x`.padStart(6),
        (library === undefined ? '-' : library.toFixed(1)).padStart(12),
        (library === undefined ? '-' : `${(library / floor).toFixed(0)}x`).padStart(14),
      ].join(' '),
    );
  }
}
