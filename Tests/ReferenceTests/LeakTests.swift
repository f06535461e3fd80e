import Reference
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("No leaks")
struct LeakTests {
    /// Resident set size in KiB from /proc/self/statm (Linux).
    static func residentKiB() -> Int? {
        guard let file = fopen("/proc/self/statm", "r") else { return nil }
        defer { fclose(file) }
        var size = 0, resident = 0
        guard withUnsafeMutablePointer(to: &size, { s in
            withUnsafeMutablePointer(to: &resident) { r in
                withVaList([s, r]) { vfscanf(file, "%ld %ld", $0) }
            }
        }) == 2 else { return nil }
        return resident * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024
    }

    @Test("1.2 x 10^6 BigFloats of 600 bits allocated and dropped keep resident memory flat")
    func flatMemory() throws {
        func churn(_ n: Int) {
            for i in 0..<n {
                let x = BigFloat(precision: 600)
                x.set(i)
                let y = BigFloat.exactProduct(x, x)
                _ = y.rounded(to: .binary32, rounding: .nearestEven)
            }
        }
        churn(50_000)  // warm up allocator pools
        // Resident memory is the whole process's, and other suites run in parallel (the
        // tensor-core reference caches can grow by tens of MiB while this test runs). So measure
        // three rounds and keep the smallest growth: a leak grows *every* round by far more than
        // the bound, while another suite's growth cannot be in all three windows at once unless
        // it is steady, and a steady 16 MiB/round would itself be a bug worth seeing.
        var growths: [Int] = []
        for _ in 0..<3 {
            let before = try #require(Self.residentKiB())
            churn(400_000)
            let after = try #require(Self.residentKiB())
            growths.append(after - before)
        }
        // Each BigFloat of 600 bits owns ~80 bytes of limbs plus the object: 4 x 10^5 leaked
        // iterations (three values each) would add more than 90 MiB a round. Allow 16 MiB.
        #expect(growths.min()! < 16 * 1024, "resident growth per round (KiB): \(growths)")
    }
}
