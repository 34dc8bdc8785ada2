import { hash64 } from './hash.js';

/** HyperLogLog distinct-count sketch. Merging is a register-wise max, so it is exact with respect to the union. */
export class HyperLogLog {
  static readonly PRECISION = 14;
  readonly registers: Uint8Array;

  constructor(registers?: Uint8Array) {
    const m = 1 << HyperLogLog.PRECISION;
    if (registers && registers.length !== m) throw new RangeError(`HyperLogLog expects ${m} registers, got ${registers.length}`);
    // A register holds a leading-zero count plus one of a 32-bit hash: 33 at most.
    if (registers && registers.some((r) => r > 33)) throw new RangeError('HyperLogLog register above 33');
    this.registers = registers ? Uint8Array.from(registers) : new Uint8Array(m);
  }

  add(value: string): void {
    const [h1, h2] = hash64(value);
    const index = h1 >>> (32 - HyperLogLog.PRECISION);
    const rank = Math.clz32(h2) + 1;
    if (rank > this.registers[index]!) this.registers[index] = rank;
  }

  merge(other: HyperLogLog): this {
    for (let i = 0; i < this.registers.length; i++) {
      if (other.registers[i]! > this.registers[i]!) this.registers[i] = other.registers[i]!;
    }
    return this;
  }

  estimate(): number {
    const m = this.registers.length;
    let sum = 0;
    let zeros = 0;
    for (const r of this.registers) {
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const alpha = 0.7213 / (1 + 1.079 / m);
    const raw = (alpha * m * m) / sum;
    // Linear counting is more accurate while many registers are still empty.
    if (raw <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
    return Math.round(raw);
  }
}
