#include "CBaseline.h"

/* value = sum * 2^scale_exponent, rounded toward zero to binary32 (subnormals, overflow to Inf). */
static uint32_t round_toward_zero_f32(int64_t sum, int scale_exponent, int precision) {
    if (sum == 0) return 0;
    uint32_t sign = sum < 0 ? 0x80000000u : 0;
    uint64_t mag = sum < 0 ? (uint64_t)(-sum) : (uint64_t)sum;
    int top = 63 - __builtin_clzll(mag);
    int binade = top + scale_exponent;
    if (binade > 127) return sign | 0x7F800000u;
    int quantum = (binade < -126 ? -126 : binade) - (precision - 1);
    int shift = quantum - scale_exponent;
    uint64_t kept = shift >= 64 ? 0 : (shift >= 0 ? mag >> shift : mag << -shift);
    if (kept == 0) return 0;
    kept <<= 24 - precision; /* back to 23 fraction bits */
    if (binade < -126) return sign | (uint32_t)kept;
    return sign | ((uint32_t)(binade + 127) << 23) | ((uint32_t)kept & 0x7FFFFFu);
}

/* Decodes a binary32 addend as (significand, exponent) with 23 fraction bits. */
static void decode_f32(uint32_t bits, int32_t *sig, int32_t *exp) {
    int field = (int)((bits >> 23) & 0xFF);
    int32_t mant = (int32_t)(bits & 0x7FFFFF);
    int32_t s = field == 0 ? mant : (mant | 0x800000);
    *exp = field == 0 ? (mant == 0 ? -126 : -126) : field - 127;
    *sig = (bits >> 31) ? -s : s;
}

void quantsim_baseline_block_fma_gemm(int m, int n_cols, int k, int block, int kept_fraction_bits,
                                      int product_fraction_bits, int output_precision,
                                      const int32_t *a_sig, const int32_t *a_exp,
                                      const int32_t *bt_sig, const int32_t *bt_exp,
                                      const uint32_t *c, uint32_t *d) {
    const int base_shift = kept_fraction_bits - product_fraction_bits;
    for (int i = 0; i < m; i++) {
        for (int j = 0; j < n_cols; j++) {
            uint32_t acc = c[(long)i * n_cols + j];
            const int32_t *as = a_sig + (long)i * k, *ae = a_exp + (long)i * k;
            const int32_t *bs = bt_sig + (long)j * k, *be = bt_exp + (long)j * k;
            for (int k0 = 0; k0 < k; k0 += block) {
                int32_t c_sig, c_exp;
                decode_f32(acc, &c_sig, &c_exp);
                int32_t emax = c_exp;
                for (int t = 0; t < block; t++) {
                    int32_t e = ae[k0 + t] + be[k0 + t];
                    emax = e > emax ? e : emax;
                }
                /* c has 23 fraction bits: its aligned value is c_sig * 2^(F - 23 - (emax - c_exp)). */
                int64_t sum;
                {
                    int64_t mag = c_sig < 0 ? -(int64_t)c_sig : c_sig;
                    int sh = kept_fraction_bits - 23;
                    int d = emax - c_exp;
                    int64_t v = sh >= 0 ? (mag << sh) : (mag >> -sh);
                    v = d > 63 ? 0 : (v >> d);
                    sum = c_sig < 0 ? -v : v;
                }
                for (int t = 0; t < block; t++) {
                    int64_t p = (int64_t)as[k0 + t] * (int64_t)bs[k0 + t];
                    int64_t mag = p < 0 ? -p : p;
                    int dshift = emax - (ae[k0 + t] + be[k0 + t]);
                    int64_t v = (base_shift >= 0 ? (mag << base_shift) : (mag >> -base_shift));
                    v = dshift > 63 ? 0 : (v >> dshift);
                    sum += p < 0 ? -v : v;
                }
                acc = round_toward_zero_f32(sum, emax - kept_fraction_bits, output_precision);
            }
            d[(long)i * n_cols + j] = acc;
        }
    }
}

void quantsim_baseline_int8_gemm(int m, int n_cols, int k, const int8_t *a, const int8_t *bt, const int32_t *c,
                                 int32_t *d) {
    for (int i = 0; i < m; i++) {
        for (int j = 0; j < n_cols; j++) {
            uint32_t sum = (uint32_t)c[(long)i * n_cols + j]; /* unsigned: wraps like the hardware */
            const int8_t *x = a + (long)i * k, *y = bt + (long)j * k;
            for (int t = 0; t < k; t++) sum += (uint32_t)((int32_t)x[t] * (int32_t)y[t]);
            d[(long)i * n_cols + j] = (int32_t)sum;
        }
    }
}

/* The vertical layout: 16 output columns in the lanes of the innermost loops, 4 rows per step
 * (oracles.md, "Swift kernel performance facts"), B in its natural K x N layout. Plain C: the
 * lane loops are left to the compiler's vectoriser. Sums and alignment in int64 as the
 * arithmetic's natural width (the largest F, 25, needs 33 bits at n = 32). Preconditions: m a
 * multiple of 4, n_cols of 16, k of block; finite operands; no overflow. */
#define QS_LANES 16
#define QS_ROWS 4
void quantsim_baseline_block_fma_gemm_vertical(int m, int n_cols, int k, int block, int kept_fraction_bits,
                                               int product_fraction_bits, int output_precision,
                                               const int32_t *a_sig, const int32_t *a_exp,
                                               const int32_t *b_sig, const int32_t *b_exp,
                                               const uint32_t *c, uint32_t *d) {
    const int F = kept_fraction_bits;
    const int base_shift = F - product_fraction_bits;
    for (int i0 = 0; i0 < m; i0 += QS_ROWS) {
        for (int j0 = 0; j0 < n_cols; j0 += QS_LANES) {
            int64_t c_sig[QS_ROWS][QS_LANES];
            int32_t c_exp[QS_ROWS][QS_LANES];
            for (int r = 0; r < QS_ROWS; r++)
                for (int l = 0; l < QS_LANES; l++) {
                    int32_t s, e;
                    decode_f32(c[(long)(i0 + r) * n_cols + j0 + l], &s, &e);
                    c_sig[r][l] = s;
                    c_exp[r][l] = e;
                }
            for (int k0 = 0; k0 < k; k0 += block) {
                int32_t emax[QS_ROWS][QS_LANES];
                int64_t sum[QS_ROWS][QS_LANES];
                for (int r = 0; r < QS_ROWS; r++)
                    for (int l = 0; l < QS_LANES; l++) emax[r][l] = c_exp[r][l];
                for (int t = k0; t < k0 + block; t++) {
                    const int32_t *be = b_exp + (long)t * n_cols + j0;
                    for (int r = 0; r < QS_ROWS; r++) {
                        const int32_t ae = a_exp[(long)(i0 + r) * k + t];
                        for (int l = 0; l < QS_LANES; l++) {
                            int32_t e = ae + be[l];
                            emax[r][l] = e > emax[r][l] ? e : emax[r][l];
                        }
                    }
                }
                for (int r = 0; r < QS_ROWS; r++)
                    for (int l = 0; l < QS_LANES; l++) {
                        int64_t mag = c_sig[r][l] < 0 ? -c_sig[r][l] : c_sig[r][l];
                        int64_t v = F >= 23 ? (mag << (F - 23)) : (mag >> (23 - F));
                        int dd = emax[r][l] - c_exp[r][l];
                        v = dd > 63 ? 0 : (v >> dd);
                        sum[r][l] = c_sig[r][l] < 0 ? -v : v;
                    }
                for (int t = k0; t < k0 + block; t++) {
                    const int32_t *bs = b_sig + (long)t * n_cols + j0, *be = b_exp + (long)t * n_cols + j0;
                    for (int r = 0; r < QS_ROWS; r++) {
                        const int64_t as = a_sig[(long)(i0 + r) * k + t];
                        const int32_t ae = a_exp[(long)(i0 + r) * k + t];
                        for (int l = 0; l < QS_LANES; l++) {
                            int64_t p = as * (int64_t)bs[l];
                            int64_t mag = p < 0 ? -p : p;
                            int dshift = emax[r][l] - (ae + be[l]);
                            int64_t v = base_shift >= 0 ? (mag << base_shift) : (mag >> -base_shift);
                            v = dshift > 63 ? 0 : (v >> dshift);
                            sum[r][l] += p < 0 ? -v : v;
                        }
                    }
                }
                /* Round toward zero to output_precision bits; keep decoded (23 fraction bits). */
                for (int r = 0; r < QS_ROWS; r++)
                    for (int l = 0; l < QS_LANES; l++) {
                        int64_t s = sum[r][l];
                        uint64_t mag = s < 0 ? (uint64_t)(-s) : (uint64_t)s;
                        int scale = emax[r][l] - F;
                        int top = mag ? 63 - __builtin_clzll(mag) : 0;
                        int binade = top + scale;
                        int exponent = binade < -126 ? -126 : binade;
                        int shift = exponent - (output_precision - 1) - scale;
                        uint64_t kept = shift <= 0 ? mag << -shift : (shift > 63 ? 0 : mag >> shift);
                        int64_t significand = (int64_t)(kept << (23 - (output_precision - 1)));
                        c_sig[r][l] = kept == 0 ? 0 : (s < 0 ? -significand : significand);
                        c_exp[r][l] = kept == 0 ? -126 : exponent;
                    }
            }
            for (int r = 0; r < QS_ROWS; r++)
                for (int l = 0; l < QS_LANES; l++) {
                    int64_t s = c_sig[r][l];
                    uint32_t sign = s < 0 ? 0x80000000u : 0;
                    uint32_t mag = (uint32_t)(s < 0 ? -s : s);
                    uint32_t code = mag == 0 ? 0 : (mag < (1u << 23) ? mag : ((uint32_t)(c_exp[r][l] + 127) << 23) | (mag & 0x7FFFFFu));
                    d[(long)(i0 + r) * n_cols + j0 + l] = mag == 0 ? 0 : (sign | code);
                }
        }
    }
}

/* The MPFR calls of the bench's reference dot product, from C. */
#include <mpfr.h>
#include <stdlib.h>

struct quantsim_mpfr_dot {
    int n;
    mpfr_t table[256];
    mpfr_t *products;
    mpfr_ptr *pointers;
    mpfr_t sum, rounded;
};

quantsim_mpfr_dot_t *quantsim_baseline_mpfr_dot_create(int n, const double *table_values) {
    quantsim_mpfr_dot_t *c = malloc(sizeof *c);
    c->n = n;
    for (int i = 0; i < 256; i++) { mpfr_init2(c->table[i], 8); mpfr_set_d(c->table[i], table_values[i], MPFR_RNDN); }
    c->products = malloc(sizeof(mpfr_t) * (size_t)n);
    c->pointers = malloc(sizeof(mpfr_ptr) * (size_t)n);
    for (int i = 0; i < n; i++) { mpfr_init2(c->products[i], 8); c->pointers[i] = c->products[i]; }
    mpfr_init2(c->sum, 200);
    mpfr_init2(c->rounded, 24);
    return c;
}

/* Exact products (8 bits suffice for E4M3), mpfr_sum at 200 bits, then the reference's
 * rounding to binary32: mpfr_set, exponent range of binary32, check_range, subnormalize, with
 * the caller's flags and range restored; the value read with mpfr_get_flt. */
float quantsim_baseline_mpfr_dot_run(quantsim_mpfr_dot_t *c, const uint8_t *a, const uint8_t *b) {
    for (int i = 0; i < c->n; i++) mpfr_mul(c->products[i], c->table[a[i]], c->table[b[i]], MPFR_RNDN);
    mpfr_sum(c->sum, c->pointers, (unsigned long)c->n, MPFR_RNDN);
    mpfr_flags_t flags = mpfr_flags_save();
    mpfr_exp_t emin = mpfr_get_emin(), emax = mpfr_get_emax();
    int t = mpfr_set(c->rounded, c->sum, MPFR_RNDN);
    mpfr_set_emin(-148);
    mpfr_set_emax(128);
    t = mpfr_check_range(c->rounded, t, MPFR_RNDN);
    mpfr_subnormalize(c->rounded, t, MPFR_RNDN);
    mpfr_set_emin(emin);
    mpfr_set_emax(emax);
    mpfr_flags_restore(flags, MPFR_FLAGS_ALL);
    return mpfr_get_flt(c->rounded, MPFR_RNDN);
}

void quantsim_baseline_mpfr_dot_free(quantsim_mpfr_dot_t *c) {
    for (int i = 0; i < 256; i++) mpfr_clear(c->table[i]);
    for (int i = 0; i < c->n; i++) mpfr_clear(c->products[i]);
    mpfr_clear(c->sum);
    mpfr_clear(c->rounded);
    free(c->products);
    free(c->pointers);
    free(c);
}

/* The INT8 GEMM register-blocked: 4 rows x 4 columns of D per pass over K, sixteen int32
 * reductions the compiler vectorises along K (no intrinsics). */
void quantsim_baseline_int8_gemm_blocked(int m, int n_cols, int k, const int8_t *a, const int8_t *bt, const int32_t *c,
                                         int32_t *d) {
    for (int i = 0; i + 4 <= m; i += 4) {
        for (int j = 0; j + 4 <= n_cols; j += 4) {
            uint32_t s[4][4] = {{0}};
            const int8_t *x0 = a + (long)i * k, *x1 = x0 + k, *x2 = x1 + k, *x3 = x2 + k;
            const int8_t *y0 = bt + (long)j * k, *y1 = y0 + k, *y2 = y1 + k, *y3 = y2 + k;
            for (int t = 0; t < k; t++) {
                int32_t a_[4] = {x0[t], x1[t], x2[t], x3[t]}, b_[4] = {y0[t], y1[t], y2[t], y3[t]};
                for (int r = 0; r < 4; r++)
                    for (int q = 0; q < 4; q++) s[r][q] += (uint32_t)(a_[r] * b_[q]);
            }
            for (int r = 0; r < 4; r++)
                for (int q = 0; q < 4; q++)
                    d[(long)(i + r) * n_cols + j + q] = (int32_t)((uint32_t)c[(long)(i + r) * n_cols + j + q] + s[r][q]);
        }
    }
}
