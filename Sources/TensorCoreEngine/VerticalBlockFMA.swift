/// The vertical form of the block-FMA GEMM kernel (binary32 round-toward-zero outputs): a tile
/// of 4 rows x 16 columns of D advances block by block along K with the 16 columns in SIMD
/// lanes, so that one element of A (broadcast) meets 16 elements of B's row per step
/// (oracles.md, "Swift kernel performance facts": the vertical layout). Arithmetic per output is
/// `BlockFMAGEMM.chain`'s, term for term:
/// - emax = max(addend exponent, a_e + b_e over the block) (padding and floor as the chain);
/// - each product |a_s| |b_s| (B's magnitudes pre-shifted by F - product fraction bits when that
///   is positive) shifted right by emax - (a_e + b_e) (+ the truncation when it is negative),
///   signed, summed in Int32 lanes in chunks that cannot overflow (from the formats' largest
///   significands), the chunks and the aligned addend in Int32 lanes with a signed-overflow
///   check where the block sum could exceed Int32 (H100/B200 FP16 and FP8), else in Int64;
/// - the block sum rounded toward zero to `precision` bits and kept decoded for the next block.
/// A tile with a lane whose block sum overflows binary32 (or Int32 in the checked mode) is
/// finished again by the scalar chain (which hands Inf/NaN to the generic path), as are tiles
/// touching a NaN/Inf row, column or addend, and the edges.
struct VerticalBlockFMA {
    static let lanes = 16
    static let rowsPerTile = 4

    /// A (M x K) as magnitude, sign mask (0 or -1) and alignment exponent.
    struct RowsA {
        var magnitude: [Int32]
        var sign: [Int32]
        var exponent: [Int32]
    }

    /// B packed in panels of 16 columns: for panel p and k index t, 48 Int32 at (p K + t) 48:
    /// 16 magnitudes (shifted up by `up`), 16 sign masks, 16 exponents, so that a tile streams
    /// through memory in order (a plain K x N layout puts every k row of a tile 4 N bytes apart,
    /// the same L1 sets for N a multiple of 1024).
    struct PanelsB {
        var values: [Int32]
        static let stride = 48
    }

    let kernel: BlockFMAGEMM
    let up: Int32
    let down: Int32
    /// Terms summed in Int32 lanes before they are combined (products alone never overflow).
    let chunk: Int
    /// How block sums are formed: `exact`: the whole block and the addend always fit Int32;
    /// `checked`: chunks fit and the block sum fits Int32 except at extremes (the combining
    /// additions check for signed overflow, and an overflowing tile goes to the scalar chain);
    /// `wide`: Int64 block sums.
    enum Mode { case exact, checked, wide }
    let mode: Mode
    /// The addend exponent of a zero, in every lane.
    let zeroExponent: Lanes32
    /// 28 - F: the alignment shift of a pre-shifted addend is emax - exponent + 28 - F.
    let alignBias: Lanes32
    /// F in every lane.
    let fractionBits: Lanes32
    /// Clears the bits of a pre-shifted magnitude below the output's `precision` bits.
    let precisionMask: Lanes32

    /// nil unless the kernel's outputs are binary32 toward zero and its terms fit Int32 lanes.
    init?(kernel: BlockFMAGEMM, aFractionBits: Int, bFractionBits: Int) {
        let fractionShift = kernel.keptFractionBits - (aFractionBits + bFractionBits)
        guard kernel.rounding.isFP32, !kernel.rounding.nearestEven, kernel.keptFractionBits <= 28,
              fractionShift > -31, aFractionBits <= 12, bFractionBits <= 12 else { return nil }
        self.kernel = kernel
        up = Int32(Swift.max(fractionShift, 0))
        down = Int32(Swift.max(-fractionShift, 0))
        // The largest term: both significands at their maximum, shifted to F fraction bits
        // (below 2^(F+2)); the aligned addend is below 2^(F+1).
        let largestProduct = ((((1 << (aFractionBits + 1)) - 1) * ((1 << (bFractionBits + 1)) - 1)) << Int(up)) >> Int(down)
        let block = kernel.block, addend = 1 << (kernel.keptFractionBits + 1)
        chunk = Swift.max(1, Swift.min(block, Int(Int32.max) / Swift.max(1, largestProduct)))
        mode = block * largestProduct + addend <= Int(Int32.max) ? .exact
            : (block * largestProduct + addend <= Int(UInt32.max) && chunk >= 2 ? .checked : .wide)
        zeroExponent = Lanes32(repeating: Int32(kernel.unit.addend!.zeroExponent))
        alignBias = Lanes32(repeating: Int32(28 - kernel.keptFractionBits))
        fractionBits = Lanes32(repeating: Int32(kernel.keptFractionBits))
        precisionMask = Lanes32(repeating: ~Int32((1 << (29 - kernel.rounding.precision)) - 1))
    }

    static func rowsA(_ p: PredecodedOperands) -> RowsA {
        var r = RowsA(magnitude: p.significands.map { $0.magnitude == 0 ? 0 : Int32($0.magnitude) },
                      sign: p.significands.map { $0 < 0 ? -1 : 0 }, exponent: p.exponents)
        for i in r.magnitude.indices where p.significands[i] == 0 { r.sign[i] = 0 }
        return r
    }

    /// B's panels from its transposed predecoding (N x K); columns beyond the last full panel
    /// are left to the scalar chain.
    static func panelsB(_ bt: PredecodedOperands, up: Int32) -> PanelsB {
        let n = bt.rows, k = bt.columns, panels = n / lanes
        var values = [Int32](repeating: 0, count: panels * k * PanelsB.stride)
        for p in 0..<panels {
            for l in 0..<lanes {
                let j = p * lanes + l
                for t in 0..<k {
                    let s = bt.significands[j * k + t], base = (p * k + t) * PanelsB.stride
                    values[base + l] = Int32(s.magnitude) << up
                    values[base + 16 + l] = s < 0 ? -1 : 0
                    values[base + 32 + l] = bt.exponents[j * k + t]
                }
            }
        }
        return PanelsB(values: values)
    }

    typealias Lanes32 = SIMD16<Int32>
    typealias Lanes64 = SIMD16<Int64>

    @inline(__always)
    static func load(_ p: UnsafePointer<Int32>) -> Lanes32 { UnsafeRawPointer(p).loadUnaligned(as: Lanes32.self) }

    @inline(__always)
    static func store(_ x: Lanes32, _ p: UnsafeMutablePointer<Int32>) { UnsafeMutableRawPointer(p).storeBytes(of: x, as: Lanes32.self) }

    @inline(__always)
    static func maximum(_ x: Lanes32, _ y: Lanes32) -> Lanes32 { x.replacing(with: y, where: y .> x) }

    @inline(__always)
    static func minimum(_ x: Lanes32, _ y: Lanes32) -> Lanes32 { x.replacing(with: y, where: y .< x) }

    /// The running addend of 16 lanes, decoded: magnitude with 23 fraction bits, shifted left by
    /// 5 (below 2^29), sign mask (0 or -1) and alignment exponent. Aligned to a block's emax at F
    /// fraction bits it is magnitude * 2^(exponent - 23 + F - emax), a left shift of at most
    /// F - 23 <= 5: one right shift of the pre-shifted magnitude by emax - exponent + 28 - F.
    struct Addend {
        var magnitude: Lanes32
        var sign: Lanes32
        var exponent: Lanes32
    }

    /// Runs the full tiles of rows `rowRange` (4-row groups from its start) into `d`: returns the
    /// rows it covered and the outputs it left to the scalar chain (tiles touching a NaN/Inf
    /// row, column or addend, lanes that overflowed, the columns past the last panel).
    func run(a: PredecodedOperands, bt: PredecodedOperands, aPacked: RowsA, panels packed: PanelsB, c: UnsafeBufferPointer<UInt64>,
             rowRange: Range<Int>, d: UnsafeMutableBufferPointer<UInt64>) -> (rows: Range<Int>, left: [(Int, Int)]) {
        let k = a.columns, n = bt.rows, lanes = Self.lanes, tall = Self.rowsPerTile
        guard n >= lanes, rowRange.count >= tall else { return (rowRange.lowerBound..<rowRange.lowerBound, []) }
        let first = rowRange.lowerBound
        let groups = rowRange.count / tall, panels = n / lanes, tiles = groups * panels
        let rows = first..<(first + groups * tall)
        var left: [(Int, Int)] = []
        // Tiles to skip: a NaN/Inf in their rows of A, columns of B or addends.
        var skip = [Bool](repeating: false, count: tiles)
        for g in 0..<groups {
            let i0 = first + g * tall
            let rowsSpecial = a.rowHasSpecial[i0] || a.rowHasSpecial[i0 + 1] || a.rowHasSpecial[i0 + 2] || a.rowHasSpecial[i0 + 3]
            for p in 0..<panels {
                var special = rowsSpecial
                for j in (p * lanes)..<(p * lanes + lanes) where bt.rowHasSpecial[j] { special = true }
                for i in i0..<(i0 + tall) {
                    for j in (p * lanes)..<(p * lanes + lanes) where c[i * n + j] & 0x7F80_0000 == 0x7F80_0000 { special = true }
                }
                skip[g * panels + p] = special
            }
        }
        // Running addends, tile after tile (64 lanes each), decoded from C.
        let zero = Int32(kernel.unit.addend!.zeroExponent)
        let magnitudes = UnsafeMutablePointer<Int32>.allocate(capacity: tiles * 64)
        let signs = UnsafeMutablePointer<Int32>.allocate(capacity: tiles * 64)
        let exponents = UnsafeMutablePointer<Int32>.allocate(capacity: tiles * 64)
        let exponentSums = UnsafeMutablePointer<Int32>.allocate(capacity: 64 * kernel.block)
        defer { magnitudes.deallocate(); signs.deallocate(); exponents.deallocate(); exponentSums.deallocate() }
        for g in 0..<groups {
            for p in 0..<panels {
                let base = (g * panels + p) * 64
                for r in 0..<tall {
                    for l in 0..<lanes {
                        let code = UInt32(truncatingIfNeeded: c[(first + g * tall + r) * n + p * lanes + l])
                        let field = Int32(code >> 23 & 0xFF), fraction = Int32(code & 0x7F_FFFF)
                        let significand = field == 0 ? fraction : fraction | 0x80_0000
                        magnitudes[base + r * 16 + l] = significand << 5
                        signs[base + r * 16 + l] = code >> 31 == 1 && significand != 0 ? -1 : 0
                        exponents[base + r * 16 + l] = significand == 0 ? zero : (field == 0 ? -126 : field - 127)
                    }
                }
            }
        }
        var overflowed = [UInt64](repeating: 0, count: tiles)
        let chunk = chunkK
        aPacked.magnitude.withUnsafeBufferPointer { am in aPacked.sign.withUnsafeBufferPointer { asg in
        aPacked.exponent.withUnsafeBufferPointer { ae in packed.values.withUnsafeBufferPointer { values in
            let ap = (am.baseAddress!, asg.baseAddress!, ae.baseAddress!)
            // Blocked: a K chunk of one panel stays in L1 while the row groups pass over it.
            for kc in stride(from: 0, to: k, by: chunk) {
                let kRange = kc..<Swift.min(k, kc + chunk)
                for p in 0..<panels {
                    let panel = values.baseAddress! + p * k * PanelsB.stride
                    for g in 0..<groups where !skip[g * panels + p] && overflowed[g * panels + p] == 0 {
                        let t = g * panels + p
                        let state = State(magnitudes: magnitudes + t * 64, signs: signs + t * 64, exponents: exponents + t * 64)
                        overflowed[t] = tile(a: ap, panel: panel, state: state, kRange: kRange, i0: first + g * tall, k: k,
                                             exponentSums: exponentSums)
                    }
                }
            }
        }}}}
        for g in 0..<groups {
            let i0 = first + g * tall
            for p in 0..<panels {
                let t = g * panels + p, j0 = p * lanes
                if skip[t] || overflowed[t] != 0 {
                    // An overflowing lane stops its tile; the scalar chain redoes the tile.
                    for i in i0..<(i0 + tall) { for j in j0..<(j0 + lanes) { left.append((i, j)) } }
                    continue
                }
                for r in 0..<tall {
                    for l in 0..<lanes {
                        let e = t * 64 + r * 16 + l
                        d[(i0 + r) * n + j0 + l] = encode(magnitude: magnitudes[e], sign: signs[e], exponent: exponents[e])
                    }
                }
            }
            for i in i0..<(i0 + tall) { for j in (panels * lanes)..<n { left.append((i, j)) } }
        }
        return (rows, left)
    }

    /// One 4 x 16 tile: rows i0..<i0+4, columns j0..<j0+16 (`panel`: B's panel of those
    /// columns), over `kRange`. Returns non-zero when a lane overflowed binary32 (the tile is
    /// then recomputed by the scalar chain).
    @inline(__always)
    func tile(a: (magnitude: UnsafePointer<Int32>, sign: UnsafePointer<Int32>, exponent: UnsafePointer<Int32>),
              panel: UnsafePointer<Int32>, state: State, kRange: Range<Int>, i0: Int, k: Int,
              exponentSums: UnsafeMutablePointer<Int32>) -> UInt64 {
        let block = kernel.block
        var c0 = state.load(0), c1 = state.load(1), c2 = state.load(2), c3 = state.load(3)
        let a0 = i0 * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k
        var overflow = Lanes32()
        var k0 = kRange.lowerBound
        while k0 < kRange.upperBound {
            let length = Swift.min(block, k - k0)
            // Pass 1: the largest exponent of each output's block.
            var e0 = c0.exponent, e1 = c1.exponent, e2 = c2.exponent, e3 = c3.exponent
            // The product exponents a_e + b_e are kept (`exponentSums`, 64 per k) for pass 2.
            for t in k0..<(k0 + length) {
                let be = Self.load(panel + t * PanelsB.stride + 32)
                let sums = exponentSums + (t - k0) * 64
                let x0 = be &+ Lanes32(repeating: a.exponent[a0 + t]), x1 = be &+ Lanes32(repeating: a.exponent[a1 + t])
                let x2 = be &+ Lanes32(repeating: a.exponent[a2 + t]), x3 = be &+ Lanes32(repeating: a.exponent[a3 + t])
                Self.store(x0, sums); Self.store(x1, sums + 16); Self.store(x2, sums + 32); Self.store(x3, sums + 48)
                e0 = Self.maximum(e0, x0)
                e1 = Self.maximum(e1, x1)
                e2 = Self.maximum(e2, x2)
                e3 = Self.maximum(e3, x3)
            }
            var low = kernel.floor
            if length < block { low = Swift.max(low, kernel.zeroProductExponent) }
            if low > Int32.min {
                let l = Lanes32(repeating: low)
                e0 = Self.maximum(e0, l); e1 = Self.maximum(e1, l); e2 = Self.maximum(e2, l); e3 = Self.maximum(e3, l)
            }
            // Pass 2: aligned, truncated terms summed.
            let shiftBase = Lanes32(repeating: down)
            let d0 = e0 &+ shiftBase, d1 = e1 &+ shiftBase, d2 = e2 &+ shiftBase, d3 = e3 &+ shiftBase
            let cap = Self.thirtyOne
            var t = k0
            let end = k0 + length
            @inline(__always)
            func terms(_ stop: Int) -> (Lanes32, Lanes32, Lanes32, Lanes32) {
                var p0 = Lanes32(), p1 = Lanes32(), p2 = Lanes32(), p3 = Lanes32()
                while t < stop {
                    let row = panel + t * PanelsB.stride
                    let bm = Self.load(row), bs = Self.load(row + 16)
                    let sums = exponentSums + (t - k0) * 64
                    @inline(__always)
                    func term(_ row: Int, _ shifts: Lanes32, _ sum: UnsafePointer<Int32>) -> Lanes32 {
                        let v = (bm &* Lanes32(repeating: a.magnitude[row + t])) &>> Self.minimum(shifts &- Self.load(sum), cap)
                        let s = bs ^ Lanes32(repeating: a.sign[row + t])
                        return (v ^ s) &- s
                    }
                    p0 &+= term(a0, d0, sums)
                    p1 &+= term(a1, d1, sums + 16)
                    p2 &+= term(a2, d2, sums + 32)
                    p3 &+= term(a3, d3, sums + 48)
                    t += 1
                }
                return (p0, p1, p2, p3)
            }
            switch mode {
            case .exact:
                let (p0, p1, p2, p3) = terms(end)
                overflow |= roundNarrow(aligned(c0, emax: e0) &+ p0, emax: e0, into: &c0)
                overflow |= roundNarrow(aligned(c1, emax: e1) &+ p1, emax: e1, into: &c1)
                overflow |= roundNarrow(aligned(c2, emax: e2) &+ p2, emax: e2, into: &c2)
                overflow |= roundNarrow(aligned(c3, emax: e3) &+ p3, emax: e3, into: &c3)
            case .checked:
                var s0 = aligned(c0, emax: e0), s1 = aligned(c1, emax: e1), s2 = aligned(c2, emax: e2), s3 = aligned(c3, emax: e3)
                // Signed overflow of x + y = s: x and y agree in sign and s does not.
                var wrapped = Lanes32()
                @inline(__always)
                func add(_ x: inout Lanes32, _ y: Lanes32) {
                    let sum = x &+ y
                    wrapped |= (x ^ sum) & (y ^ sum)
                    x = sum
                }
                while t < end {
                    let (p0, p1, p2, p3) = terms(Swift.min(end, t + chunk))
                    add(&s0, p0); add(&s1, p1); add(&s2, p2); add(&s3, p3)
                }
                overflow |= wrapped &>> Self.thirtyOne
                overflow |= roundNarrow(s0, emax: e0, into: &c0)
                overflow |= roundNarrow(s1, emax: e1, into: &c1)
                overflow |= roundNarrow(s2, emax: e2, into: &c2)
                overflow |= roundNarrow(s3, emax: e3, into: &c3)
            case .wide:
                var s0 = Self.widen(aligned(c0, emax: e0)), s1 = Self.widen(aligned(c1, emax: e1))
                var s2 = Self.widen(aligned(c2, emax: e2)), s3 = Self.widen(aligned(c3, emax: e3))
                while t < end {
                    let (p0, p1, p2, p3) = terms(Swift.min(end, t + chunk))
                    s0 &+= Self.widen(p0)
                    s1 &+= Self.widen(p1)
                    s2 &+= Self.widen(p2)
                    s3 &+= Self.widen(p3)
                }
                overflow |= roundWide(s0, emax: e0, into: &c0)
                overflow |= roundWide(s1, emax: e1, into: &c1)
                overflow |= roundWide(s2, emax: e2, into: &c2)
                overflow |= roundWide(s3, emax: e3, into: &c3)
            }
            k0 += block
        }
        state.store(c0, 0); state.store(c1, 1); state.store(c2, 2); state.store(c3, 3)
        return any(overflow .!= Self.zero32) ? 1 : 0
    }

    /// The running addends of one tile between K chunks: 4 rows x 16 lanes of each `Addend`
    /// field, 16 entries per row.
    struct State {
        let magnitudes: UnsafeMutablePointer<Int32>
        let signs: UnsafeMutablePointer<Int32>
        let exponents: UnsafeMutablePointer<Int32>

        @inline(__always)
        func load(_ row: Int) -> Addend {
            Addend(magnitude: UnsafeRawPointer(magnitudes + 16 * row).loadUnaligned(as: Lanes32.self),
                   sign: UnsafeRawPointer(signs + 16 * row).loadUnaligned(as: Lanes32.self),
                   exponent: UnsafeRawPointer(exponents + 16 * row).loadUnaligned(as: Lanes32.self))
        }

        @inline(__always)
        func store(_ c: Addend, _ row: Int) {
            UnsafeMutableRawPointer(magnitudes + 16 * row).storeBytes(of: c.magnitude, as: Lanes32.self)
            UnsafeMutableRawPointer(signs + 16 * row).storeBytes(of: c.sign, as: Lanes32.self)
            UnsafeMutableRawPointer(exponents + 16 * row).storeBytes(of: c.exponent, as: Lanes32.self)
        }
    }

    /// K chunk of the blocked loop: a multiple of the block near 128, so that a panel's chunk
    /// (128 x 192 bytes) stays in L1 while every row group of a worker passes over it.
    var chunkK: Int { Swift.max(1, 128 / kernel.block) * kernel.block }

    /// One binary32 addend code as an `Addend` lane (finite: the caller sends tiles with a
    /// NaN/Inf C to the scalar chain).
    @inline(__always)
    func decode(_ code: UInt64) -> (magnitude: Int32, sign: Int32, exponent: Int32) {
        let dc = kernel.rounding.decodeAddend(code, zeroExponent: kernel.unit.addend!.zeroExponent)
        return (Int32(dc.significand) << 5, dc.negative && dc.significand != 0 ? -1 : 0, Int32(dc.exponent))
    }

    /// The binary32 code of an `Addend` lane.
    @inline(__always)
    func encode(magnitude: Int32, sign: Int32, exponent: Int32) -> UInt64 {
        let significand = Int64(magnitude >> 5)
        return kernel.rounding.encodeDecoded(significand: sign != 0 ? -significand : significand, exponent: Int(exponent))
    }

    // Comparisons and selects take vectors on both sides: with a scalar operand the standard
    // library builds the mask lane by lane (measured: 5x slower kernel). Constants are computed
    // properties: a stored static would be a lazily initialised global (a `swift_once` call in
    // the kernel, which then is not inlined).
    @inline(__always) static var zero32: Lanes32 { Lanes32(repeating: 0) }
    @inline(__always) static var thirtyOne: Lanes32 { Lanes32(repeating: 31) }
    @inline(__always) static var twentyEight: Lanes32 { Lanes32(repeating: 28) }
    @inline(__always) static var minimumExponent: Lanes32 { Lanes32(repeating: -126) }
    @inline(__always) static var maximumExponent: Lanes32 { Lanes32(repeating: 127) }
    @inline(__always) static var zero64: Lanes64 { Lanes64(repeating: 0) }
    @inline(__always) static var sixtyThree: Lanes64 { Lanes64(repeating: 63) }

    /// The addend aligned to emax with F fraction bits, truncated toward zero (below 2^(F+1):
    /// Int32 lanes for every F <= 28).
    @inline(__always)
    func aligned(_ c: Addend, emax: Lanes32) -> Lanes32 {
        let count = emax &- c.exponent &+ alignBias
        let v = c.magnitude &>> Self.minimum(count, Self.thirtyOne)
        return (v ^ c.sign) &- c.sign
    }

    /// Int32 lanes sign-extended to Int64 (the standard library's conversion is an out-of-line
    /// call; this inlines to one sign extension).
    @inline(__always)
    static func widen(_ x: Lanes32) -> Lanes64 {
        Lanes64(Int64(x[0]), Int64(x[1]), Int64(x[2]), Int64(x[3]), Int64(x[4]), Int64(x[5]), Int64(x[6]), Int64(x[7]),
                Int64(x[8]), Int64(x[9]), Int64(x[10]), Int64(x[11]), Int64(x[12]), Int64(x[13]), Int64(x[14]), Int64(x[15]))
    }

    /// Int64 lanes (known to fit) truncated to Int32.
    @inline(__always)
    static func narrow(_ x: Lanes64) -> Lanes32 {
        Lanes32(Int32(truncatingIfNeeded: x[0]), Int32(truncatingIfNeeded: x[1]), Int32(truncatingIfNeeded: x[2]),
                Int32(truncatingIfNeeded: x[3]), Int32(truncatingIfNeeded: x[4]), Int32(truncatingIfNeeded: x[5]),
                Int32(truncatingIfNeeded: x[6]), Int32(truncatingIfNeeded: x[7]), Int32(truncatingIfNeeded: x[8]),
                Int32(truncatingIfNeeded: x[9]), Int32(truncatingIfNeeded: x[10]), Int32(truncatingIfNeeded: x[11]),
                Int32(truncatingIfNeeded: x[12]), Int32(truncatingIfNeeded: x[13]), Int32(truncatingIfNeeded: x[14]),
                Int32(truncatingIfNeeded: x[15]))
    }

    /// sum * 2^(emax - F) rounded toward zero to `precision` bits, as the next addend (Int32
    /// lanes: |sum| < 2^31). Returns -1 in the lanes whose result overflowed binary32.
    @inline(__always)
    func roundNarrow(_ sum: Lanes32, emax: Lanes32, into c: inout Addend) -> Lanes32 {
        let sign = sum &>> Self.thirtyOne
        return round(magnitude: (sum ^ sign) &- sign, sign: sign, scale: emax &- fractionBits, into: &c)
    }

    /// The same for Int64 sums (wide kernels: |sum| < 2^34). A magnitude of 2^28 or more loses
    /// its 5 low bits first (scale + 5): the result keeps at most 24 bits from the leading one,
    /// and below 2^-126 at most the bits above the subnormal quantum, so those 5 bits are
    /// truncated away in either case and the Int32 rounding gives the same addend.
    @inline(__always)
    func roundWide(_ sum: Lanes64, emax: Lanes32, into c: inout Addend) -> Lanes32 {
        let sign = sum &>> Self.sixtyThree
        let magnitude = (sum ^ sign) &- sign
        let large = magnitude .> Lanes64(repeating: (1 << 28) - 1)
        let kept = magnitude.replacing(with: magnitude &>> Lanes64(repeating: 5), where: large)
        let extra = Self.zero64.replacing(with: Lanes64(repeating: 5), where: large)
        return round(magnitude: Self.narrow(kept), sign: Self.narrow(sign), scale: (emax &- fractionBits) &+ Self.narrow(extra), into: &c)
    }

    /// magnitude * 2^scale (magnitude < 2^31, sign 0 or -1) rounded toward zero to `precision`
    /// bits, as the next addend; -1 in the lanes that overflowed binary32.
    ///
    /// With top the leading bit of the magnitude, the binade is top + scale and the addend's
    /// exponent max(binade, -126); its pre-shifted magnitude is magnitude * 2^(scale + 28 -
    /// exponent) (a left shift by 28 - top for normal results, a right shift for tops above 28
    /// or subnormals) with the bits below `precision` cleared: round toward zero.
    @inline(__always)
    func round(magnitude: Lanes32, sign: Lanes32, scale: Lanes32, into c: inout Addend) -> Lanes32 {
        let zero = Self.zero32
        let binade = (Self.thirtyOne &- magnitude.leadingZeroBitCount) &+ scale
        let exponent = Self.maximum(binade, Self.minimumExponent)
        let shift = scale &+ Self.twentyEight &- exponent
        let up = Self.maximum(shift, zero), down = Self.minimum(Self.maximum(zero &- shift, zero), Self.thirtyOne)
        let kept = ((magnitude &<< Self.minimum(up, Self.thirtyOne)) &>> down) & precisionMask
        let isZero = kept .== zero
        c.magnitude = kept
        c.sign = sign.replacing(with: zero, where: isZero)
        c.exponent = exponent.replacing(with: zeroExponent, where: isZero)
        return zero.replacing(with: Lanes32(repeating: -1), where: (binade .> Self.maximumExponent) .& (magnitude .!= zero))
    }

}
