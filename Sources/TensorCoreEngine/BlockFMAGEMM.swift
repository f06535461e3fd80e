import ArchitectureSpec
import Formats

/// The bit-exact GEMM kernel of the block-FMA family (`block_fma` profiles with binary32 or
/// binary16 output): for each output, blocks of n along K, each aligned to its largest exponent
/// (the addend's included), products truncated at F, an integer sum, one output rounding that
/// feeds the next block. Outputs whose row of A or column of B holds NaN/Inf, or whose running
/// addend becomes NaN/Inf, are finished by `MMAUnit.dot`-equivalent generic code (identical by
/// construction and by test).
///
/// The hot loop works on predecoded significands and exponents with plain loops LLVM vectorises;
/// the sum uses Int32 lanes when F + 2 + log2(n + 1) <= 31 bits (E4M3 at F = 13, BF16 at F = 24
/// with n = 8), else Int64.
struct BlockFMAGEMM {
    let unit: MMAUnit
    let block: Int
    let keptFractionBits: Int
    let floor: Int32
    let rounding: FastOutputRounding
    let zeroProductExponent: Int32

    /// Block-scaled with one E8M0 scale per fused block (kind::mxf8f6f4): the scales' exponents
    /// are folded into the operands' exponents (`PredecodedOperands.foldingScales`), after which
    /// the arithmetic is the block FMA's (`MMAUnit.blockScaled`, group size 0).
    let foldsScales: Bool

    init?(unit: MMAUnit) {
        let p = unit.profile
        foldsScales = p.algorithm == .blockScaled && p.scaleGroupSize == 0 && p.blockWidth == unit.instruction.shapeK
            && unit.instruction.scaleBlock == unit.instruction.shapeK && unit.scaleFormat.map { $0.mantissaBits == 0 } == true
        guard p.algorithm == .blockFMA || foldsScales, unit.profile.exactZeroSign == .positive,
              unit.profile.zeroOperandExponent != .excluded, let output = unit.output,
              output.container == StandardFormats.fp32 || output.container == StandardFormats.fp16,
              unit.profile.fp32OutputRounding == .towardZero, unit.profile.fp16OutputRounding == .nearestEven else { return nil }
        let isFP32 = output.container == StandardFormats.fp32
        rounding = FastOutputRounding(isFP32: isFP32, precision: isFP32 ? unit.profile.fp32OutputSignificandBits : 11,
                                      nearestEven: !isFP32, overflowToInfinity: unit.profile.outputOverflow == .infinity)
        zeroProductExponent = Int32(unit.a!.zeroExponent + unit.b!.zeroExponent)
        self.unit = unit
        block = unit.profile.blockWidth
        keptFractionBits = unit.profile.keptFractionBits
        floor = Int32(unit.profile.minAlignmentExponent ?? Int(Int32.min))
    }

    /// The vertical kernel and its operand layouts, when this kernel's outputs allow it
    /// (binary32 toward zero); built once per GEMM and shared by the workers.
    struct VerticalOperands {
        let kernel: VerticalBlockFMA
        let a: VerticalBlockFMA.RowsA
        let b: VerticalBlockFMA.PanelsB
    }

    /// The vertical kernel for operands with these fraction bits, if this kernel's outputs allow it.
    func verticalKernel(aFractionBits: Int, bFractionBits: Int) -> VerticalBlockFMA? {
        VerticalBlockFMA(kernel: self, aFractionBits: aFractionBits, bFractionBits: bFractionBits)
    }

    /// D for rows `rowRange` of A (M x K), Bt (N x K), C (M x N codes), into `d`: 4 x 16 tiles
    /// through the vertical kernel where given, every other output through the scalar chain.
    /// With folded scales, `scales` gives each line's scale codes (outputs left to the generic
    /// path are recomputed whole by `MMAUnit.dot` with them).
    func run(a: PredecodedOperands, bt: PredecodedOperands, aCodes: [UInt64], btCodes: [UInt64], c: [UInt64],
             rowRange: Range<Int>, d: UnsafeMutableBufferPointer<UInt64>, vertical: VerticalOperands? = nil,
             scales: (a: [UInt64], b: [UInt64], perLine: Int)? = nil) {
        let k = a.columns, n = bt.rows
        let width = keptFractionBits + 2 + (block + 1).bitWidth - (block + 1).leadingZeroBitCount
        var pending: [(row: Int, column: Int, k0: Int, acc: UInt64)] = []
        a.significands.withUnsafeBufferPointer { aSig in
        a.exponents.withUnsafeBufferPointer { aExp in
        bt.significands.withUnsafeBufferPointer { bSig in
        bt.exponents.withUnsafeBufferPointer { bExp in
        c.withUnsafeBufferPointer { cCodes in
            let operands = Operands(aSig: aSig.baseAddress!, aExp: aExp.baseAddress!, bSig: bSig.baseAddress!, bExp: bExp.baseAddress!,
                                    k: k, fractionShift: keptFractionBits - (a.fractionBits + bt.fractionBits))
            func scalar(_ i: Int, _ j: Int) {
                if a.rowHasSpecial[i] || bt.rowHasSpecial[j] {
                    pending.append((i, j, 0, cCodes[i * n + j]))
                    return
                }
                let r = width <= 31
                    ? chain(Int32.self, operands, row: i, column: j, c: cCodes[i * n + j])
                    : chain(Int64.self, operands, row: i, column: j, c: cCodes[i * n + j])
                if r.stoppedAt >= 0 { pending.append((i, j, r.stoppedAt, r.code)) } else { d[i * n + j] = r.code }
            }
            // The vertical kernel takes the full 4 x 16 tiles of finite rows, columns and
            // addends; it names the outputs left to the scalar chain.
            var tiledRows = rowRange.lowerBound..<rowRange.lowerBound
            if let v = vertical {
                let (rows, left) = v.kernel.run(a: a, bt: bt, aPacked: v.a, panels: v.b, c: cCodes, rowRange: rowRange, d: d)
                tiledRows = rows
                for (i, j) in left { scalar(i, j) }
            }
            for i in tiledRows.upperBound..<rowRange.upperBound {
                for j in 0..<n { scalar(i, j) }
            }
        }}}}}
        for p in pending {
            if let s = scales {
                d[p.row * n + p.column] = unit.dot(row: p.row, column: p.column, a: aCodes, bt: btCodes, c: c, k: k, n: n,
                                                   scalesA: s.a, scalesB: s.b, perLine: s.perLine)
                continue
            }
            d[p.row * n + p.column] = finishGenerically(Array(aCodes[(p.row * k + p.k0)..<(p.row * k + k)]),
                                                        Array(btCodes[(p.column * k + p.k0)..<(p.column * k + k)]), p.acc)
        }
    }

    /// Whether an addend code is finite (the vertical kernel takes finite addends only).
    func isFiniteAddend(_ code: UInt64) -> Bool {
        rounding.decodeAddend(code, zeroExponent: 0).kind == .finite
    }

    struct Operands {
        let aSig: UnsafePointer<Int32>
        let aExp: UnsafePointer<Int32>
        let bSig: UnsafePointer<Int32>
        let bExp: UnsafePointer<Int32>
        let k: Int
        let fractionShift: Int
    }

    /// One output's chain of blocks. Returns the code, or the block where a NaN/Inf addend
    /// stopped the fast path (`stoppedAt >= 0`, with the addend so far). Binary32
    /// round-toward-zero outputs keep the running addend decoded between blocks.
    @inline(__always)
    func chain<T: FixedWidthInteger & SignedInteger>(_: T.Type, _ o: Operands, row: Int, column: Int,
                                                     c: UInt64) -> (code: UInt64, stoppedAt: Int) {
        let aS = o.aSig + row * o.k, aE = o.aExp + row * o.k
        let bS = o.bSig + column * o.k, bE = o.bExp + column * o.k
        let f = keptFractionBits
        let up = T(o.fractionShift >= 0 ? o.fractionShift : 0), down = T(o.fractionShift < 0 ? -o.fractionShift : 0)
        let zeroExponent = unit.addend!.zeroExponent
        let first = rounding.decodeAddend(c, zeroExponent: zeroExponent)
        if first.kind != .finite { return (c, 0) }
        let keepDecoded = rounding.isFP32 && !rounding.nearestEven
        let cFraction = first.fractionBits
        var cSignificand = first.negative ? -Int64(first.significand) : Int64(first.significand)
        var cExponent = first.exponent
        var acc = c
        var k0 = 0
        while k0 < o.k {
            if !keepDecoded {
                let dc = rounding.decodeAddend(acc, zeroExponent: zeroExponent)
                if dc.kind != .finite { return (acc, k0) }
                cSignificand = dc.negative ? -Int64(dc.significand) : Int64(dc.significand)
                cExponent = dc.exponent
            }
            let length = Swift.min(block, o.k - k0)
            var emax = Int32(cExponent)
            for t in k0..<(k0 + length) {
                let e = aE[t] &+ bE[t]
                emax = e > emax ? e : emax
            }
            if length < block { emax = Swift.max(emax, zeroProductExponent) }
            emax = Swift.max(emax, floor)
            // The addend, aligned and truncated like a product.
            let cShift = f - cFraction
            var cv = cSignificand.magnitude
            cv = cShift >= 0 ? cv << UInt64(cShift) : cv >> UInt64(-cShift)
            let cd = Int(emax) - cExponent
            cv = cd > 63 ? 0 : cv >> UInt64(cd)
            var sum = T(truncatingIfNeeded: cSignificand < 0 ? -Int64(cv) : Int64(cv))
            for t in k0..<(k0 + length) {
                let p = T(truncatingIfNeeded: aS[t]) &* T(truncatingIfNeeded: bS[t])
                let s = p >> T(T.bitWidth - 1)  // 0 or -1
                let magnitude = (p ^ s) &- s
                let distance = T(truncatingIfNeeded: emax &- (aE[t] &+ bE[t]))
                let clamped = distance < T(T.bitWidth - 1) ? distance : T(T.bitWidth - 1)
                let v = ((magnitude &<< up) &>> down) &>> clamped
                sum &+= (v ^ s) &- s
            }
            if keepDecoded {
                guard let next = rounding.roundTowardZeroDecoded(sum: Int64(sum), scaleExponent: Int(emax) - f,
                                                                 zeroExponent: zeroExponent) else {
                    // Overflow (to Inf or the largest finite, per profile): the rest of the chain
                    // goes through the generic path from that addend.
                    let overflowed = rounding.code(sum: Int64(sum), scaleExponent: Int(emax) - f)
                    return (overflowed, k0 + block < o.k ? k0 + block : -1)
                }
                (cSignificand, cExponent) = next
            } else {
                acc = rounding.code(sum: Int64(sum), scaleExponent: Int(emax) - f)
            }
            k0 += block
        }
        if keepDecoded { acc = rounding.encodeDecoded(significand: cSignificand, exponent: cExponent) }
        return (acc, -1)
    }

    /// The rest of one output, block by block, through the generic path.
    func finishGenerically(_ a: [UInt64], _ b: [UInt64], _ c: UInt64) -> UInt64 {
        var d = c
        var start = 0
        while start < a.count {
            let end = Swift.min(start + block, a.count)
            var sa = Array(a[start..<end]), sb = Array(b[start..<end])
            while sa.count < block { sa.append(0); sb.append(0) }
            d = unit.fusedBlock(sa[...], sb[...], c: d, scaleExponent: 0)
            start += block
        }
        return d
    }
}
