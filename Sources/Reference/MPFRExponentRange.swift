import CMPFR

/// Runs code with a temporarily narrowed MPFR exponent range and restores the thread's previous
/// range *and* flags afterwards, whatever the body does (MPFR state is per thread:
/// oracles.md §5.3 pitfall 7). The body must be synchronous.
public enum MPFRExponentRange {
    /// The current thread's (emin, emax), MPFR convention (x = m * 2^e, 0.5 <= |m| < 1).
    public static var current: (emin: Int, emax: Int) {
        (Int(mpfr_get_emin()), Int(mpfr_get_emax()))
    }

    /// The current thread's raw MPFR flags (for tests that check restoration).
    public static var currentFlags: UInt32 { UInt32(mpfr_flags_save()) }

    /// Clears the current thread's MPFR flags (tests use it to start from a known state).
    public static func clearFlags() { mpfr_clear_flags() }

    /// Calls `body` and restores the thread's flags afterwards (the range is left alone).
    public static func preservingFlags<R>(_ body: () throws -> R) rethrows -> R {
        let savedFlags = mpfr_flags_save()
        defer { mpfr_flags_restore(savedFlags, quantsim_mpfr_flags_all()) }
        return try body()
    }

    /// Calls `body` with emin/emax set, then restores range and flags.
    public static func with<R>(emin: Int, emax: Int, _ body: () throws -> R) rethrows -> R {
        try preservingFlags {
            let savedEmin = mpfr_get_emin(), savedEmax = mpfr_get_emax()
            defer {
                mpfr_set_emin(savedEmin)
                mpfr_set_emax(savedEmax)
            }
            precondition(mpfr_set_emin(mpfr_exp_t(emin)) == 0 && mpfr_set_emax(mpfr_exp_t(emax)) == 0,
                         "exponent range [\(emin), \(emax)] not supported by MPFR")
            mpfr_clear_flags()
            return try body()
        }
    }

    /// Flags raised so far inside `with` (overflow, underflow, inexact).
    static var raised: (overflow: Bool, underflow: Bool, inexact: Bool) {
        (mpfr_overflow_p() != 0, mpfr_underflow_p() != 0, mpfr_inexflag_p() != 0)
    }
}
