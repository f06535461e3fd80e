import Foundation

/// Benchmark harness: every figure is the median of several runs; comparisons are ratios against
/// a baseline measured in the same process run (never wall-clock assertions in tests).
struct Harness {
    var runs: Int
    var filter: String?
    var rows: [(name: String, value: String, note: String)] = []

    func wants(_ name: String) -> Bool { filter.map { name.contains($0) } ?? true }

    /// Median seconds of `runs` executions of `body` (after one warm-up).
    func median(runs count: Int? = nil, _ body: () -> Void) -> Double {
        body()
        var times: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<(count ?? runs) {
            let start = clock.now
            body()
            let d = clock.now - start
            times.append(Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
        }
        times.sort()
        return times[times.count / 2]
    }

    /// Median seconds of `first` and of `second`, measured alternately (`runs` pairs after one
    /// warm-up of each), so that a noisy machine slows both alike.
    func pairedMedians(runs count: Int? = nil, _ first: () -> Void, _ second: () -> Void) -> (Double, Double) {
        first()
        second()
        var a: [Double] = [], b: [Double] = []
        let clock = ContinuousClock()
        func seconds(_ body: () -> Void) -> Double {
            let start = clock.now
            body()
            let d = clock.now - start
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        for _ in 0..<(count ?? runs) {
            a.append(seconds(first))
            b.append(seconds(second))
        }
        a.sort()
        b.sort()
        return (a[a.count / 2], b[b.count / 2])
    }

    mutating func report(_ name: String, _ value: String, _ note: String = "") {
        rows.append((name, value, note))
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
        print(pad(name, 42) + pad(value, 14) + note)
    }
}

func rate(_ count: Double, _ seconds: Double) -> String { String(format: "%.3g /s", count / seconds) }

/// Runs the ml_dtypes baseline script with the project's venv (created by `make bench`) and
/// returns its JSON object, or nil with a reason.
func mlDtypesBaseline(count: Int) -> ([String: Double]?, String) {
    let python = FileManager.default.fileExists(atPath: ".venv/bin/python") ? ".venv/bin/python" : "/usr/bin/env"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = (python == "/usr/bin/env" ? ["python3"] : []) + ["Benchmarks/mldtypes_baseline.py", String(count)]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return (nil, "python not runnable: \(error)") }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0,
          let object = try? JSONSerialization.jsonObject(with: data) as? [String: Double] else {
        return (nil, "ml_dtypes baseline unavailable (run `make bench`, which installs it in .venv)")
    }
    return (object, "ml_dtypes \(object["version_major"].map { String(Int($0)) } ?? "?")")
}
