import ArchitectureSpec
import Formats

/// The bit-exact GEMM kernel of the block-FMA family (`block_fma` profiles with binary32 or
/// binary16 output): for each output, blocks of n along K, each block aligned to its largest
/// exponent (the addend's included), products truncated at F, an Int64 sum, one output rounding
/// that feeds the next block. Outputs whose row of A or column of B holds NaN/Inf, or whose
/// addend is NaN/Inf, go through `MMAUnit.dot`; the result is identical by construction and by
/// test.
struct BlockFMAGEMM {
    let unit: MMAUnit
    let block: Int
    let keptFractionBits: Int
    let excludeZeros: Bool
    let floor: Int?

    let rounding: FastOutputRounding
    let zeroProductExponent: Int

    init?(unit: MMAUnit) {
        guard unit.profile.algorithm == .blockFMA, unit.profile.exactZeroSign == .positive, let output = unit.output,
              output.container == StandardFormats.fp32 || output.container == StandardFormats.fp16,
              unit.profile.fp32OutputRounding == .towardZero, unit.profile.fp16OutputRounding == .nearestEven else { return nil }
        let isFP32 = output.container == StandardFormats.fp32
        rounding = FastOutputRounding(isFP32: isFP32, precision: isFP32 ? unit.profile.fp32OutputSignificandBits : 11,
                                      nearestEven: !isFP32, overflowToInfinity: unit.profile.outputOverflow == .infinity)
        zeroProductExponent = unit.a!.zeroExponent + unit.b!.zeroExponent
        self.unit = unit
        block = unit.profile.blockWidth
        keptFractionBits = unit.profile.keptFractionBits
        excludeZeros = unit.profile.zeroOperandExponent == .excluded
        floor = unit.profile.minAlignmentExponent
    }

    /// D for rows `rowRange` of A (M x K), Bt (N x K), C (M x N codes), into `d`.
    func run(a: PredecodedOperands, bt: PredecodedOperands, aCodes: [UInt64], btCodes: [UInt64], c: [UInt64],
             rowRange: Range<Int>, d: UnsafeMutableBufferPointer<UInt64>) {
        let k = a.columns, n = bt.rows
        let paddedK = (k + block - 1) / block * block
        let fractionShift = keptFractionBits - (a.fractionBits + bt.fractionBits)
        let output = unit.output!
        let addendZeroExponent = unit.addend!.zeroExponent
        a.significands.withUnsafeBufferPointer { aSig in
        a.exponents.withUnsafeBufferPointer { aExp in
        bt.significands.withUnsafeBufferPointer { bSig in
        bt.exponents.withUnsafeBufferPointer { bExp in
            for i in rowRange {
                for j in 0..<n {
                    var acc = c[i * n + j]
                    if a.rowHasSpecial[i] || bt.rowHasSpecial[j] {
                        let rowA = Array(aCodes[(i * k)..<(i * k + k)]), rowB = Array(btCodes[(j * k)..<(j * k + k)])
                        d[i * n + j] = unit.dot(rowA, rowB, c: acc)
                        continue
                    }
                    let aBase = i * k, bBase = j * k
                    var k0 = 0
                    while k0 < paddedK {
                        let dc = rounding.decodeAddend(acc, zeroExponent: addendZeroExponent)
                        if dc.kind != .finite {
                            // A NaN/Inf addend (overflowed block): finish this output generically.
                            let rowA = Array(aCodes[(aBase + k0)..<(aBase + k)]), rowB = Array(btCodes[(bBase + k0)..<(bBase + k)])
                            acc = Self.finishGenerically(unit, rowA, rowB, acc, block: block)
                            break
                        }
                        let end = Swift.min(k0 + block, k)
                        // Largest alignment exponent of the block (the addend's included).
                        var emax = Int32(excludeZeros && dc.significand == 0 ? Int(Int32.min) : dc.exponent)
                        var anyTerm = !(excludeZeros && dc.significand == 0)
                        for t in k0..<end {
                            let e = aExp[aBase + t] &+ bExp[bBase + t]
                            let zero = aSig[aBase + t] == 0 || bSig[bBase + t] == 0
                            if excludeZeros && zero { continue }
                            anyTerm = true
                            emax = e > emax ? e : emax
                        }
                        if end - k0 < block && !excludeZeros {
                            // Zero padding of the last instruction: zero products take the zero exponent.
                            emax = Swift.max(emax, Int32(zeroProductExponent))
                        }
                        if !anyTerm {
                            acc = output.code(sum: 0, exponent: 0, allNegativeZeros: false)
                            k0 += block
                            continue
                        }
                        if let floor { emax = Swift.max(emax, Int32(floor)) }
                        // The addend: fractionBits_c fraction bits at its own exponent.
                        var sum: Int64 = 0
                        do {
                            let magnitude = Int64(dc.significand)
                            let cShift = keptFractionBits - dc.fractionBits
                            var v = cShift >= 0 ? magnitude << Int64(cShift) : magnitude >> Int64(-cShift)
                            let dshift = Int(emax) - dc.exponent
                            v = dshift > 63 ? 0 : v >> Int64(dshift)
                            sum = dc.negative ? -v : v
                        }
                        for t in k0..<end {
                            let p = Int64(aSig[aBase + t]) &* Int64(bSig[bBase + t])
                            let magnitude = p < 0 ? -p : p
                            let dshift = Int64(emax &- (aExp[aBase + t] &+ bExp[bBase + t]))
                            var v = fractionShift >= 0 ? magnitude &<< Int64(fractionShift) : magnitude &>> Int64(-fractionShift)
                            v = dshift > 63 ? 0 : v &>> dshift
                            sum &+= p < 0 ? -v : v
                        }
                        acc = rounding.code(sum: sum, scaleExponent: Int(emax) - keptFractionBits)
                        k0 += block
                    }
                    d[i * n + j] = acc
                }
            }
        }}}}
    }

    /// The rest of one output after a special addend, block by block, through the generic path.
    static func finishGenerically(_ unit: MMAUnit, _ a: [UInt64], _ b: [UInt64], _ c: UInt64, block: Int) -> UInt64 {
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
