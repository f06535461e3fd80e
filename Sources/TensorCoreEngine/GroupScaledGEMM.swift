import ArchitectureSpec
import EngineKit
import Formats

/// The GEMM kernel of Blackwell's group-scaled FP4 instructions (kind::mxf4 and kind::mxf4nvf4:
/// `block_scaled` profiles with 16-element groups, E2M1 operands): per instruction of K
/// elements, each 16-element group sum exact, times both group scales exactly, then the groups
/// and c fused by the aligned adder and rounded (`MMAUnit.blockScaled`, term for term).
///
/// E2M1 values are 2^-1 times the integers 0, 1, 2, 3, 4, 6, 8, 12 (signed), so a group sum is an
/// exact Int32 dot product of those integers (|sum| <= 16 * 144): 16 lanes of one row of A
/// against 16 columns of B at a time, no decoding per element. The fusion of the 4 (or K / 16)
/// group terms and c is scalar per output and instruction. Outputs meeting a NaN scale, a
/// non-finite running addend, or a K that is not a whole number of instructions take
/// `MMAUnit.dot`.
struct GroupScaledGEMM {
    let unit: MMAUnit
    let group: Int
    let instructionK: Int
    let scaleBlock: Int
    /// Twice the value of each E2M1 code (low 4 bits), as an integer.
    let twice: [Int32]
    /// Each scale code decoded (256 entries).
    let scales: [DecodedOperand]
    /// Bit-level binary32 rounding and addend decoding (round-toward-zero profiles), equal to
    /// `MMAOutput.code` for non-zero sums (tested there).
    let rounding: FastOutputRounding?

    init?(unit: MMAUnit) {
        let p = unit.profile
        guard p.algorithm == .blockScaled, p.scaleGroupSize == 16, let output = unit.output, output.container == StandardFormats.fp32,
              case .float(let fa) = unit.aFormat, case .float(let fb) = unit.bFormat,
              fa == StandardFormats.e2m1, fb == StandardFormats.e2m1, unit.scaleFormat != nil,
              unit.instruction.shapeK % 16 == 0, unit.instruction.scaleBlock % 16 == 0 else { return nil }
        self.unit = unit
        group = 16
        instructionK = unit.instruction.shapeK
        scaleBlock = unit.instruction.scaleBlock
        twice = (0..<16).map { code -> Int32 in
            let v = fa.decode(UInt64(code)).approximateDouble * 2
            return Int32(v)
        }
        scales = (0..<256).map { unit.scaleOperand(UInt64($0)) }
        rounding = p.fp32OutputRounding == .towardZero
            ? FastOutputRounding(isFP32: true, precision: p.fp32OutputSignificandBits, nearestEven: false,
                                 overflowToInfinity: p.outputOverflow == .infinity) : nil
    }

    /// D for rows `rowRange` of A (M x K codes), Bt (N x K codes), C, with one scale per
    /// `scaleBlock` elements of each line.
    func run(a: [UInt64], bt: [UInt64], c: [UInt64], k: Int, n: Int, scalesA: [UInt64], scalesB: [UInt64], perLine: Int,
             rowRange: Range<Int>, d: UnsafeMutableBufferPointer<UInt64>) {
        let out = unit.output!, adder = unit.block, f = adder.keptFractionBits
        let groups = k / group
        let zeroExponent = unit.addend!.zeroExponent
        // A's rows and B's columns as small integers, group-major: [line][k].
        let aInts = rowRange.flatMap { i in (0..<k).map { twice[Int(a[i * k + $0] & 0xF)] } }
        let bInts = bt.map { twice[Int($0 & 0xF)] }
        var sums = [Int32](repeating: 0, count: groups)
        let groupsPerInstruction = instructionK / group
        var termSignificand = [UInt64](repeating: 0, count: groupsPerInstruction)
        var termExponent = [Int](repeating: 0, count: groupsPerInstruction)
        var termFraction = [Int](repeating: 0, count: groupsPerInstruction)
        var termNegative = [Bool](repeating: false, count: groupsPerInstruction)
        // Scales decoded once per line (NaN and Inf kept as such: they send the output to `dot`).
        func decoded(_ code: UInt64) -> DecodedOperand { code < 256 ? scales[Int(code)] : unit.scaleOperand(code) }
        let scalesOfB = scalesB.map(decoded)
        let groupsPerScaleShift = (scaleBlock / group).trailingZeroBitCount
        precondition(scaleBlock / group == 1 << groupsPerScaleShift, "scale blocks of a power-of-two number of groups")
        for (r, i) in rowRange.enumerated() {
            let scalesOfA = scalesA[(i * perLine)..<((i + 1) * perLine)].map(decoded)
            for j in 0..<n {
                if k % instructionK != 0 {
                    d[i * n + j] = unit.dot(row: i, column: j, a: a, bt: bt, c: c, k: k, n: n, scalesA: scalesA, scalesB: scalesB,
                                            perLine: perLine)
                    continue
                }
                // Exact group sums (units of 2^-2).
                aInts.withUnsafeBufferPointer { x in
                    bInts.withUnsafeBufferPointer { y in
                        let xr = x.baseAddress! + r * k, yc = y.baseAddress! + j * k
                        for g in 0..<groups {
                            var s: Int32 = 0
                            for t in (g * group)..<(g * group + group) { s &+= xr[t] &* yc[t] }
                            sums[g] = s
                        }
                    }
                }
                var acc = c[i * n + j]
                var ok = true
                for start in stride(from: 0, to: k, by: instructionK) {
                    let dc = rounding?.decodeAddend(acc, zeroExponent: zeroExponent) ?? unit.addend!.decode(acc)
                    guard dc.kind == .finite else { ok = false; break }
                    // Terms: c, then one per group (alignment exponent = the scales' exponents).
                    var e = Int.min
                    var allNegativeZeros = !(dc.significand != 0 || !dc.negative)
                    if !(adder.excludeZeros && dc.significand == 0) { e = dc.exponent }
                    for q in 0..<groupsPerInstruction {
                        let g = start / group + q
                        let s = g >> groupsPerScaleShift
                        let sa = scalesOfA[s], sb = scalesOfB[j * perLine + s]
                        guard sa.kind == .finite, sb.kind == .finite else { ok = false; break }
                        let sum = Int64(sums[g])
                        // MMAUnit.blockScaled: |sum * 2^16| * sig_a * sig_b, fraction bits
                        // 2 + 16 + both scales' fraction bits, exponent e_a + e_b.
                        termSignificand[q] = (UInt64(sum.magnitude) << 16) * (sa.significand * sb.significand)
                        termNegative[q] = sum < 0
                        termExponent[q] = sa.exponent + sb.exponent
                        termFraction[q] = 2 + 16 + sa.fractionBits + sb.fractionBits
                        if termSignificand[q] != 0 || !termNegative[q] { allNegativeZeros = false }
                        if !(adder.excludeZeros && termSignificand[q] == 0) { e = Swift.max(e, termExponent[q]) }
                    }
                    guard ok else { break }
                    if e == Int.min {
                        acc = out.code(sum: 0, exponent: 0, allNegativeZeros: allNegativeZeros)
                        continue
                    }
                    if let floor = adder.minAlignmentExponent { e = Swift.max(e, floor) }
                    @inline(__always)
                    func aligned(_ significand: UInt64, _ exponent: Int, _ fraction: Int) -> UInt64 {
                        let shift = f + exponent - e - fraction
                        if shift >= 0 { return shift < 64 ? significand << UInt64(shift) : 0 }
                        return shift > -64 ? significand >> UInt64(-shift) : 0
                    }
                    var total: Int64 = 0
                    if dc.significand != 0 {
                        let m = Int64(bitPattern: aligned(dc.significand, dc.exponent, dc.fractionBits))
                        total &+= dc.negative ? -m : m
                    }
                    for q in 0..<groupsPerInstruction where termSignificand[q] != 0 {
                        let m = Int64(bitPattern: aligned(termSignificand[q], termExponent[q], termFraction[q]))
                        total &+= termNegative[q] ? -m : m
                    }
                    if total != 0, let rounding {
                        acc = rounding.code(sum: total, scaleExponent: e - f)
                    } else {
                        acc = out.code(sum: total, exponent: e - f, allNegativeZeros: allNegativeZeros)
                    }
                }
                d[i * n + j] = ok ? acc : unit.dot(row: i, column: j, a: a, bt: bt, c: c, k: k, n: n, scalesA: scalesA,
                                                   scalesB: scalesB, perLine: perLine)
            }
        }
    }
}
