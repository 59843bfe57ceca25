/**
 * A set of strings kept as 64-bit fingerprints (two independent 32-bit FNV-1a-style hashes) in an
 * open-addressing table of typed arrays: ~16 bytes per id at most, against ~100 for a Set<string>.
 * A false "present" needs a 64-bit collision — about 1 in 3·10^7 for a million ids against a million
 * ids — which is acceptable for what it answers: "was this sourcedId seen in the package?".
 */
export class IdSet {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private used: Uint8Array;
  private count = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.used = new Uint8Array(cap);
  }

  get size(): number {
    return this.count;
  }

  /** Adds the id; returns false when it was already present. */
  add(id: string): boolean {
    if ((this.count + 1) * 2 > this.used.length) this.grow();
    const [h, l] = fingerprint(id);
    return this.insert(h, l);
  }

  has(id: string): boolean {
    const [h, l] = fingerprint(id);
    const mask = this.used.length - 1;
    for (let i = (l ^ h) & mask; this.used[i]; i = (i + 1) & mask) {
      if (this.hi[i] === h && this.lo[i] === l) return true;
    }
    return false;
  }

  private insert(h: number, l: number): boolean {
    const mask = this.used.length - 1;
    let i = (l ^ h) & mask;
    for (; this.used[i]; i = (i + 1) & mask) {
      if (this.hi[i] === h && this.lo[i] === l) return false;
    }
    this.used[i] = 1;
    this.hi[i] = h;
    this.lo[i] = l;
    this.count++;
    return true;
  }

  private grow(): void {
    const { hi, lo, used } = this;
    const cap = used.length * 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.used = new Uint8Array(cap);
    this.count = 0;
    for (let i = 0; i < used.length; i++) if (used[i]) this.insert(hi[i] as number, lo[i] as number);
  }
}

function fingerprint(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a ^= a >>> 13;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 16;
  return [a >>> 0, b >>> 0];
}
