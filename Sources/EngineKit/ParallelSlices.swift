import Dispatch

/// Carries buffers into concurrent workers that write disjoint ranges of them.
public struct UncheckedSendable<T>: @unchecked Sendable {
    public let value: T
    @inlinable public init(_ value: T) { self.value = value }
}

/// Work over `count` items cut into contiguous slices, one per worker: the row-parallel loop of
/// every engine's GEMM kernel.
public enum ParallelSlices {
    /// Workers for `count` items on `threads` threads: at least 1, at most `count`.
    @inlinable
    public static func workers(count: Int, threads: Int) -> Int { Swift.max(1, Swift.min(threads, count)) }

    /// Slice `index` of `count` items cut into `parts` near-equal contiguous ranges.
    @inlinable
    public static func slice(_ count: Int, _ parts: Int, _ index: Int) -> Range<Int> {
        (count * index / parts)..<(count * (index + 1) / parts)
    }

    /// Runs `body(worker, slice)` for every worker concurrently.
    @inlinable
    public static func run(count: Int, workers: Int, _ body: @Sendable (Int, Range<Int>) -> Void) {
        DispatchQueue.concurrentPerform(iterations: workers) { w in body(w, slice(count, workers, w)) }
    }
}
