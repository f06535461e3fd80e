import Formats
import Foundation
import Reference
import ArchitectureSpec
import TensorCoreEngine
import CBaseline
import Simulation
import Workloads

// quantsim-bench [--runs N] [--filter SUBSTRING]
var arguments = CommandLine.arguments.dropFirst()
var harness = Harness(runs: 5, filter: nil)
while let a = arguments.popFirst() {
    switch a {
    case "--runs": harness.runs = Int(arguments.popFirst() ?? "") ?? 5
    case "--filter": harness.filter = arguments.popFirst()
    default: print("usage: quantsim-bench [--runs N] [--filter SUBSTRING]"); exit(2)
    }
}
print("QuantSim benchmarks: median of \(harness.runs) runs, single thread")

// MARK: Reference (MPFR) exact FP8 dot product

if harness.wants("reference") {
    let n = 4096
    var rng = SeededGenerator(seed: 1)
    let e4m3 = StandardFormats.e4m3
    func randomCode() -> UInt64 { var c: UInt64; repeat { c = rng.next() & 0xFF } while e4m3.decode(c).isNaN; return c }
    let a = (0..<n).map { _ in randomCode() }, b = (0..<n).map { _ in randomCode() }
    // Operand values as BigFloats once per code (256 entries); products into preallocated
    // 8-bit values (E4M3 significands have 4 bits, so 8-bit products are exact).
    let table = (0..<256).map { BigFloat(e4m3.isCanonical(UInt64($0)) && !e4m3.decode(UInt64($0)).isNaN ? e4m3.decode(UInt64($0)) : ExactValue(0.0)) }
    let products = (0..<n).map { _ in BigFloat(precision: 8) }
    var result: Float = 0
    // The same MPFR calls from C, timed alternately with the Swift reference.
    let values = (0..<256).map { e4m3.isCanonical(UInt64($0)) && !e4m3.decode(UInt64($0)).isNaN ? e4m3.decode(UInt64($0)).approximateDouble : 0 }
    let context = quantsim_baseline_mpfr_dot_create(Int32(n), values)
    let a8 = a.map { UInt8($0) }, b8 = b.map { UInt8($0) }
    var fromC: Float = 0
    let (tSwift, tC) = harness.pairedMedians({
        for i in 0..<n { products[i].multiply(table[Int(a[i])], table[Int(b[i])], rounding: .nearestEven) }
        let (sum, _) = BigFloat.sum(of: products, precision: 200, rounding: .nearestEven)
        result = sum.rounded(to: .binary32, rounding: .nearestEven).value.float()
    }, { fromC = quantsim_baseline_mpfr_dot_run(context, a8, b8) })
    quantsim_baseline_mpfr_dot_free(context)
    harness.report("reference.fp8-dot-4096.full", rate(Double(n), tSwift),
                   String(format: "terms/s: exact products + mpfr_sum + one rounding to FP32; %.2fx the same MPFR calls from C (%.3g terms/s); %@",
                          tC / tSwift, Double(n) / tC, result.bitPattern == fromC.bitPattern ? "same result" : "RESULTS DIFFER"))
    let sumOnly = harness.median {
        let (sum, _) = BigFloat.sum(of: products, precision: 200, rounding: .nearestEven)
        result += sum.rounded(to: .binary32, rounding: .nearestEven).value.float()
    }
    harness.report("reference.fp8-dot-4096.sum", rate(Double(n), sumOnly), "terms/s: mpfr_sum of ready products + round")
    _ = result
}

// MARK: Quantisation against ml_dtypes

if harness.wants("quantize") || harness.wants("decode") {
    let count = Int(ProcessInfo.processInfo.environment["QUANTSIM_BENCH_COUNT"] ?? "") ?? 16 * 1024 * 1024
    var rng = SeededGenerator(seed: 2)
    let x: [Float] = (0..<count).map { _ in Float(rng.nextUnitDouble() * 2 - 1) * 3 }
    var codes = [UInt8](repeating: 0, count: count)
    var scales = [UInt8](repeating: 0, count: count / 32)
    let (baseline, note) = mlDtypesBaseline(count: count)
    func quantizePerTensor(_ f: MiniFloatFormat) -> Double {
        harness.median {
            x.withUnsafeBufferPointer { xs in
                let s = FastQuantizer.perTensorScale(amax: FastQuantizer.absoluteMaximum(xs), format: f)
                codes.withUnsafeMutableBufferPointer { FastQuantizer.quantize(xs, scale: s, format: f, into: $0) }
            }
        }
    }
    for (name, f, key) in [("e4m3", StandardFormats.e4m3, "e4m3"), ("e2m1", StandardFormats.e2m1, "e2m1")] where harness.wants("quantize") {
        let t = quantizePerTensor(f)
        let ratio = baseline?[key].map { String(format: "%.2fx ml_dtypes cast (%.3g /s)", Double(count) / t / $0, $0) } ?? note
        harness.report("quantize.fp32-to-\(name).per-tensor.16M", rate(Double(count), t), ratio)
    }
    if harness.wants("quantize") {
        let t = harness.median {
            x.withUnsafeBufferPointer { xs in
                scales.withUnsafeMutableBufferPointer { s in
                    codes.withUnsafeMutableBufferPointer {
                        FastQuantizer.quantizeMX(xs, element: StandardFormats.e2m1, blockSize: 32, scales: s, codes: $0)
                    }
                }
            }
        }
        let ratio = baseline?["e2m1"].map { String(format: "%.2fx ml_dtypes E2M1 cast", Double(count) / t / $0) } ?? note
        harness.report("quantize.fp32-to-mxfp4.block32.16M", rate(Double(count), t), ratio)
    }
    if harness.wants("decode") {
        var out = [Float](repeating: 0, count: count)
        let t = harness.median {
            codes.withUnsafeBufferPointer { c in
                out.withUnsafeMutableBufferPointer { FastQuantizer.decode(c, format: StandardFormats.e4m3, into: $0) }
            }
        }
        let ratio = baseline?["decode_e4m3"].map { String(format: "%.2fx ml_dtypes E4M3->FP32 cast", Double(count) / t / $0) } ?? note
        harness.report("decode.e4m3-to-fp32.16M", rate(Double(count), t), ratio)
    }
}

// MARK: Bit-exact GEMM against the plain C baseline

if harness.wants("gemm") {
    let root = FileManager.default.currentDirectoryPath
    func unit(_ arch: String, _ instruction: String, _ input: String, _ output: String) -> MMAUnit {
        let document = try! ArchitectureLoader.load(path: root + "/Architectures/" + arch)
        guard case .tensorCoreGPU(let gpu) = document.body,
              let chosen = gpu.instructions(input: input, accumulator: output, named: instruction).first else { fatalError(arch) }
        return try! MMAUnit(instruction: chosen, profile: gpu.profile(for: chosen), aFormat: input, bFormat: input, accumulatorFormat: output)
    }
    /// Predecoded (significand with sign, alignment exponent) as the C baseline takes them.
    func predecode(_ codes: [UInt64], _ f: MiniFloatFormat) -> ([Int32], [Int32]) {
        var s: [Int32] = [], e: [Int32] = []
        for c in codes {
            let v = f.decode(c)
            let emin = f.minNormalExponent
            if v.isZero { s.append(0); e.append(-126); continue }
            let exponent = Swift.max(v.binade!, emin)
            let significand = Int32(v.significand << UInt64(v.exponent - (exponent - f.mantissaBits)))
            s.append(v.isNegative ? -significand : significand)
            e.append(Int32(exponent))
        }
        return (s, e)
    }
    var rng = SeededGenerator(seed: 3)
    // Every block-FMA profile family: V100, A100, H100 (FP8 and FP16), B200 (FP8: n = 32, F = 25,
    // the widest sums), at 512^3 and 2048^3. Baselines: the plain C kernel (one output at a time;
    // 512^3 only) and the vertical C kernel (16 columns in lanes, 4 rows), outputs compared.
    let cases: [(String, String, String, String, [Int])] = [
        ("fp16.v100-mma.sync", "nvidia-v100-sxm2.json", "mma.sync", "fp16", [512, 2048]),
        ("bf16.a100-mma.sync", "nvidia-a100-sxm4-80gb.json", "mma.sync", "bf16", [512, 2048]),
        ("fp16.h100-wgmma", "nvidia-h100-sxm.json", "wgmma", "fp16", [512, 2048]),
        ("e4m3.h100-wgmma", "nvidia-h100-sxm.json", "wgmma", "e4m3", [512, 2048]),
        ("e4m3.b200-tcgen05", "nvidia-b200.json", "tcgen05", "e4m3", [512, 2048]),
    ]
    let only = ProcessInfo.processInfo.environment["QUANTSIM_BENCH_GEMM"]
    for (label, arch, inst, input, sizes) in cases where only.map({ label.contains($0) }) ?? true {
        let u = unit(arch, inst, input, "fp32")
        guard case .float(let f) = u.aFormat else { continue }
        func finite() -> UInt64 {
            var c: UInt64
            repeat { c = rng.next() & ((1 << UInt64(f.bitWidth)) - 1) } while !f.decode(c).isFinite || (f.decode(c).binade ?? 0) > 4
            return c
        }
        let sizeLimit = Int(ProcessInfo.processInfo.environment["QUANTSIM_BENCH_MAX_SIZE"] ?? "") ?? Int.max
        for size in sizes where size <= sizeLimit {
            let m = size, n = size, k = size
            let a = (0..<m * k).map { _ in finite() }, b = (0..<k * n).map { _ in finite() }
            let c = [UInt64](repeating: 0, count: m * n)
            var bt = [UInt64](repeating: 0, count: n * k)
            for r in 0..<k { for col in 0..<n { bt[col * k + r] = b[r * n + col] } }
            let (aS, aE) = predecode(a, f), (bS, bE) = predecode(b, f), (btS, btE) = predecode(bt, f)
            let c32 = [UInt32](repeating: 0, count: m * n)
            let macs = Double(m * n * k)
            let runs = size >= 2048 ? 3 : harness.runs
            var dVertical = [UInt32](repeating: 0, count: m * n)
            var dSwift: [UInt64] = []
            let (tVertical, tSwift) = harness.pairedMedians(runs: runs, {
                quantsim_baseline_block_fma_gemm_vertical(Int32(m), Int32(n), Int32(k), Int32(u.profile.blockWidth),
                                                          Int32(u.profile.keptFractionBits), Int32(2 * f.mantissaBits),
                                                          Int32(u.profile.fp32OutputSignificandBits), aS, aE, bS, bE, c32, &dVertical)
            }, { dSwift = u.gemm(a: a, b: b, c: c, m: m, n: n, k: k, threads: 1) })
            var note = String(format: "%.2fx vertical C (%.3g MAC/s)", tVertical / tSwift, macs / tVertical)
            var agree = zip(dSwift, dVertical).allSatisfy { UInt32($0) == $1 }
            if size <= 512 {
                var dPlain = [UInt32](repeating: 0, count: m * n)
                let tPlain = harness.median(runs: runs) {
                    quantsim_baseline_block_fma_gemm(Int32(m), Int32(n), Int32(k), Int32(u.profile.blockWidth), Int32(u.profile.keptFractionBits),
                                                     Int32(2 * f.mantissaBits), Int32(u.profile.fp32OutputSignificandBits), aS, aE, btS, btE,
                                                     c32, &dPlain)
                }
                note += String(format: ", %.2fx plain C (%.3g)", tPlain / tSwift, macs / tPlain)
                agree = agree && zip(dSwift, dPlain).allSatisfy { UInt32($0) == $1 }
            }
            harness.report("gemm.\(label).\(size)^3", rate(macs, tSwift), note + (agree ? "; outputs identical" : "; OUTPUTS DIFFER"))
        }
    }
    // Block-scaled formats on B200 against plain E4M3 on the same tcgen05 family, same run.
    if only == nil || only == "scaled" {
        let plain = unit("nvidia-b200.json", "tcgen05", "e4m3", "fp32")
        for (label, inst, input, size) in [("mxfp8-e4m3.b200-tcgen05.mxf8f6f4", "tcgen05.mxf8f6f4", "e4m3", 512),
                                           ("mxfp4.b200-tcgen05.mxf8f6f4", "tcgen05.mxf8f6f4", "e2m1", 512),
                                           ("nvfp4.b200-tcgen05.nvf4", "tcgen05.nvf4", "e2m1", 512)] {
            let u = unit("nvidia-b200.json", inst, input, "fp32")
            guard case .float(let f) = u.aFormat, case .float(let f8) = plain.aFormat else { continue }
            func finite(_ f: MiniFloatFormat) -> UInt64 {
                var c: UInt64
                repeat { c = rng.next() & ((1 << UInt64(f.bitWidth)) - 1) } while !f.decode(c).isFinite
                return c
            }
            let m = size, n = size, k = size, perLine = k / u.instruction.scaleBlock
            let a = (0..<m * k).map { _ in finite(f) }, bt = (0..<n * k).map { _ in finite(f) }
            let a8 = (0..<m * k).map { _ in finite(f8) }, bt8 = (0..<n * k).map { _ in finite(f8) }
            let c = [UInt64](repeating: 0, count: m * n)
            let scaleCode: UInt64 = u.scaleBitWidth == 8 && inst.hasSuffix("nvf4") ? 0x38 : 127
            let scalesA = (0..<(m * perLine)).map { _ in scaleCode - rng.next() % 3 }, scalesB = (0..<(n * perLine)).map { _ in scaleCode - rng.next() % 3 }
            let (tScaled, tPlain) = harness.pairedMedians(runs: size < 512 ? 3 : harness.runs, {
                _ = u.gemm(a: a, bt: bt, c: c, m: m, n: n, k: k, scalesA: scalesA, scalesB: scalesB, threads: 1)
            }, { _ = plain.gemm(a: a8, bt: bt8, c: c, m: m, n: n, k: k, threads: 1) })
            let macs = Double(m * n * k)
            harness.report("gemm.\(label).\(size)^3", rate(macs, tScaled),
                           String(format: "%.2fx plain E4M3 tcgen05 (%.3g MAC/s), same shape", tPlain / tScaled, macs / tPlain))
        }
    }
    if only == nil || only == "int8" {
        let u = unit("nvidia-a100-sxm4-80gb.json", "mma.sync", "int8", "int32")
        let size = 1024
        let a = (0..<size * size).map { _ in rng.next() & 0xFF }, b = (0..<size * size).map { _ in rng.next() & 0xFF }
        let c = [UInt64](repeating: 0, count: size * size)
        var bt = [Int8](repeating: 0, count: size * size)
        for r in 0..<size { for col in 0..<size { bt[col * size + r] = Int8(bitPattern: UInt8(b[r * size + col])) } }
        let a8 = a.map { Int8(bitPattern: UInt8($0)) }
        let c32 = [Int32](repeating: 0, count: size * size)
        var dC = [Int32](repeating: 0, count: size * size)
        let macs = Double(size * size * size)
        let tC = harness.median { quantsim_baseline_int8_gemm(Int32(size), Int32(size), Int32(size), a8, bt, c32, &dC) }
        var dBlocked = [Int32](repeating: 0, count: size * size)
        var d: [UInt64] = []
        let (tBlocked, tSwift) = harness.pairedMedians({
            quantsim_baseline_int8_gemm_blocked(Int32(size), Int32(size), Int32(size), a8, bt, c32, &dBlocked)
        }, { d = u.gemm(a: a, b: b, c: c, m: size, n: size, k: size, threads: 1) })
        let same = zip(d, dC).allSatisfy { UInt32($0) == UInt32(bitPattern: $1) } && dBlocked == dC
        harness.report("gemm.int8.a100.1024^3", rate(macs, tSwift),
                       String(format: "%.2fx C register-blocked 4x4 (%.3g MAC/s), %.2fx C auto-vectorised (%.3g); %@", tBlocked / tSwift,
                              macs / tBlocked, tC / tSwift, macs / tC, same ? "outputs identical" : "OUTPUTS DIFFER"))
    }
    if only == nil || only == "threads" {
        let u = unit("nvidia-h100-sxm.json", "wgmma", "e4m3", "fp32")
        let size = 1024
        let a = (0..<size * size).map { _ in rng.next() & 0x77 }, b = (0..<size * size).map { _ in rng.next() & 0x77 }
        let c = [UInt64](repeating: 0, count: size * size)
        let one = harness.median { _ = u.gemm(a: a, b: b, c: c, m: size, n: size, k: size, threads: 1) }
        let two = harness.median { _ = u.gemm(a: a, b: b, c: c, m: size, n: size, k: size, threads: 2) }
        harness.report("gemm.e4m3.h100.1024^3.threads", rate(Double(size * size * size), two), String(format: "2 threads %.2fx one thread", one / two))
    }
}

// MARK: Generic dot products (datapath) and their MPFR reference

if harness.wants("dot") {
    let root = FileManager.default.currentDirectoryPath
    for (arch, inst, input, output) in [("nvidia-h100-sxm.json", "wgmma", "e4m3", "fp32"), ("nvidia-a100-sxm4-80gb.json", "mma.sync", "bf16", "fp32")] {
        let document = try! ArchitectureLoader.load(path: root + "/Architectures/" + arch)
        guard case .tensorCoreGPU(let gpu) = document.body, let chosen = gpu.instructions(input: input, accumulator: output, named: inst).first,
              case .scalar(.float(let f))? = FormatCatalog.parse(input) else { continue }
        let unit = try! MMAUnit(instruction: chosen, profile: gpu.profile(for: chosen), aFormat: input, bFormat: input, accumulatorFormat: output)
        let reference = ReferenceMMA(profile: unit.profile, inputA: f, inputB: f, output: StandardFormats.fp32, instructionK: chosen.shapeK)
        var rng = SeededGenerator(seed: 4)
        let k = chosen.shapeK
        let lines = (0..<2000).map { _ in ((0..<k).map { _ in rng.next() & 0x7777 & ((1 << UInt64(f.bitWidth)) - 1) },
                                          (0..<k).map { _ in rng.next() & 0x7777 & ((1 << UInt64(f.bitWidth)) - 1) }) }
        var sink: UInt64 = 0
        let tDatapath = harness.median { for (a, b) in lines { sink &+= unit.dot(a, b, c: 0x3F80_0000) } }
        let tReference = harness.median { for (a, b) in lines { sink &+= reference.dot(a, b, c: 0x3F80_0000).isZero ? 1 : 0 } }
        harness.report("dot.\(input).\(inst).generic", rate(2000, tDatapath), String(format: "dots/s; MPFR reference %.3g dots/s", 2000 / tReference))
        _ = sink
    }
}

// MARK: Whole-model estimate (timing and cost of every layer, no numerics)

if harness.wants("model") {
    for (arch, model) in [("nvidia-h100-sxm.json", "llama-2-7b")] {
        let description = ModelCatalog.named(model)!
        func request(_ phase: ModelPhase) -> WorkloadRequest {
            let base = RunRequest(architecturePath: "Architectures/" + arch, shape: GEMMShape(m: 1, n: 1, k: 1), aFormat: "e4m3",
                                  bFormat: "e4m3", dFormat: nil, instruction: nil, quantization: nil, dataA: .synthetic(.gaussian),
                                  dataB: .synthetic(.gaussian), seed: 1, numerics: .off)
            return WorkloadRequest(base: base, workload: try! description.workload(phase: phase, batch: 1), phase: phase.description)
        }
        let prefill = request(.prefill(tokens: 256)), decode = request(.decode(context: 256))
        var cycles = 0.0
        let seconds = harness.median {
            cycles = try! Simulator.run(prefill).report.totals.cycles + Simulator.run(decode).report.totals.cycles
        }
        harness.report("model.\(model).prefill256+decode.\(arch.dropLast(5))", String(format: "%.3g s", seconds),
                       "timing and cost of every layer, --numerics off (document load, plans, tilings, inventories; \(Int(cycles)) cycles modelled)")
    }
}

// MARK: SCALE-Sim compatibility mode against SCALE-Sim itself (same config, same topology)

if harness.wants("scalesim") {
    let directory = NSTemporaryDirectory() + "quantsim-bench-scalesim-\(getpid())"
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let config = directory + "/config.cfg", topology = directory + "/topology.csv"
    // MiniLM-L6 encoder GEMMs at sequence length 128 on a 32 x 32 weight-stationary array.
    try! """
        [general]
        run_name = bench32

        [architecture_presets]
        ArrayHeight:    32
        ArrayWidth:     32
        IfmapSramSzkB:    256
        FilterSramSzkB:   256
        OfmapSramSzkB:    128
        IfmapOffset:    0
        FilterOffset:   10000000
        OfmapOffset:    20000000
        Bandwidth : 10
        Dataflow : ws
        MemoryBanks:   1
        ReadRequestBuffer: 512
        WriteRequestBuffer: 512

        [layout]
        IfmapCustomLayout: False
        IfmapSRAMBankBandwidth: 10
        IfmapSRAMBankNum: 10
        IfmapSRAMBankPort: 2
        FilterCustomLayout: False
        FilterSRAMBankBandwidth: 10
        FilterSRAMBankNum: 10
        FilterSRAMBankPort: 2

        [sparsity]
        SparsitySupport : false
        SparseRep : ellpack_block
        OptimizedMapping : false
        BlockSize : 8
        RandomNumberGeneratorSeed : 40

        [run_presets]
        InterfaceBandwidth: CALC
        UseRamulatorTrace: False

        """.write(toFile: config, atomically: true, encoding: .utf8)
    try! "Layer,M,N,K,\nqkvo,128,384,384,\nffn_up,128,1536,384,\nffn_down,128,384,1536,\n".write(toFile: topology, atomically: true, encoding: .utf8)
    var cycles: [Double] = []
    let ours = harness.median { cycles = (try? ScaleSimCompatibility.run(configPath: config, topologyPath: topology))?.layers.map(\.computeCycles) ?? [] }
    let python = ".venv-scalesim/bin/python"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = ["Benchmarks/scalesim_baseline.py", config, topology, "3"]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    var note = "SCALE-Sim baseline unavailable (make bench installs scalesim==3.0.0 in .venv-scalesim)"
    if (try? process.run()) != nil {
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus == 0, let o = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let seconds = o["seconds"] as? Double, let theirs = o["compute_cycles"] as? [Int] {
            let same = theirs.map(Double.init) == cycles ? "same compute cycles" : "CYCLES DIFFER: SCALE-Sim \(theirs) QuantSim \(cycles)"
            note = String(format: "%.0fx faster than SCALE-Sim %@ (%.3g s, median of 3 run_scale calls); %@", seconds / ours,
                          o["version"] as? String ?? "?", seconds, same)
        }
    }
    harness.report("scalesim.minilm-3-gemms.ws32x32", String(format: "%.3g s", ours), note)
}
