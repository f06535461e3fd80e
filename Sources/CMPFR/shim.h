/*
 * CMPFR: the system MPFR/GMP headers plus static inline wrappers for what Swift cannot
 * import (function-like macros, non-trivial constant macros). No stable Swift API; only the
 * Reference target imports this module (DESIGN.md, "Layers").
 *
 * Include order matters: <stdio.h> and <stdarg.h> before <gmp.h>/<mpfr.h>, otherwise mpfr.h
 * omits its FILE* and va_list functions (oracles.md §5.2).
 */
#ifndef QUANTSIM_CMPFR_SHIM_H
#define QUANTSIM_CMPFR_SHIM_H

#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <gmp.h>
#include <mpfr.h>

/* MPFR_PREC_MAX / MPFR_PREC_MIN are cast macros Swift does not import. */
static inline mpfr_prec_t quantsim_mpfr_prec_max(void) { return MPFR_PREC_MAX; }
static inline mpfr_prec_t quantsim_mpfr_prec_min(void) { return MPFR_PREC_MIN; }

/* MPFR_FLAGS_ALL is a compound constant macro. */
static inline mpfr_flags_t quantsim_mpfr_flags_all(void) { return MPFR_FLAGS_ALL; }

/* Emin/emax limits (function-like in some MPFR builds). */
static inline mpfr_exp_t quantsim_mpfr_emin_min(void) { return mpfr_get_emin_min(); }
static inline mpfr_exp_t quantsim_mpfr_emax_max(void) { return mpfr_get_emax_max(); }

/* Set an mpfr_t from a GMP integer given as an array of 64-bit limbs (little-endian), with sign:
 * value = (-1)^negative * limbs * 2^exponent, rounded to the precision of rop. */
static inline int quantsim_mpfr_set_limbs_2exp(mpfr_ptr rop, const unsigned long long *limbs,
                                               size_t count, int negative, long exponent,
                                               mpfr_rnd_t rnd) {
    mpz_t z;
    mpz_init(z);
    mpz_import(z, count, -1, sizeof(unsigned long long), 0, 0, limbs);
    if (negative) mpz_neg(z, z);
    int t = mpfr_set_z_2exp(rop, z, (mpfr_exp_t)exponent, rnd);
    mpz_clear(z);
    return t;
}

/* Export the exact significand of a regular (finite, non-zero) mpfr value as an integer
 * m (little-endian 64-bit limbs, caller allocates `capacity` limbs) and exponent e with
 * |x| = m * 2^e. Returns the number of limbs written, or 0 when x is zero/NaN/Inf or the
 * significand does not fit. */
static inline size_t quantsim_mpfr_get_limbs_2exp(mpfr_srcptr x, unsigned long long *limbs,
                                                  size_t capacity, long *exponent) {
    if (!mpfr_regular_p(x)) return 0;
    mpz_t z;
    mpz_init(z);
    mpfr_exp_t e = mpfr_get_z_2exp(z, x);
    mpz_abs(z, z);
    size_t needed = (mpz_sizeinbase(z, 2) + 63) / 64;
    if (needed > capacity) { mpz_clear(z); return 0; }
    size_t count = 0;
    mpz_export(limbs, &count, -1, sizeof(unsigned long long), 0, 0, z);
    mpz_clear(z);
    *exponent = (long)e;
    return count;
}

/* Hex-float formatting with a fixed argument list (mpfr_asprintf is variadic). Caller frees
 * the result with mpfr_free_str. */
static inline char *quantsim_mpfr_hex_string(mpfr_srcptr x) {
    char *out = NULL;
    if (mpfr_asprintf(&out, "%Ra", x) < 0) return NULL;
    return out;
}

/* Round to nearest with ties away from zero (mpfr_round_nearest_away is a function-like
 * macro). Reference code combines directed roundings instead where subnormals matter. */
static inline int quantsim_mpfr_set_rna(mpfr_ptr rop, mpfr_srcptr op) {
    return mpfr_round_nearest_away(mpfr_set, rop, op);
}

#endif
