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

    @Test("10^6 BigFloats of 600 bits allocated and dropped keep resident memory flat")
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
        let before = try #require(Self.residentKiB())
        churn(1_000_000)
        let after = try #require(Self.residentKiB())
        // Each BigFloat of 600 bits owns ~80 bytes of limbs plus the struct: 10^6 leaked values
        // (three per iteration) would add more than 200 MiB. Allow 16 MiB of allocator noise.
        #expect(after - before < 16 * 1024, "resident grew from \(before) KiB to \(after) KiB")
    }
}
