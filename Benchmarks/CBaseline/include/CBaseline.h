/*
 * Plain C baselines for QuantSim's GEMM benchmarks (compiled -O3 -march=native, no
 * intrinsics): the same arithmetic as QuantSim's bit-exact kernels, so that the benchmark can
 * report QuantSim's speed as a ratio measured in the same run.
 */
#ifndef QUANTSIM_CBASELINE_H
#define QUANTSIM_CBASELINE_H
#include <stdint.h>

/* Block-FMA GEMM, binary32 output rounded toward zero (NVIDIA tensor-core arithmetic,
 * tensor-cores.md §3.1). Operands predecoded once: significand (sign applied) and alignment
 * exponent per element; A is M x K row-major, Bt is N x K (B transposed); C and D are M x N
 * binary32 bit patterns. Per output: blocks of n along K; in each, the largest exponent (the
 * addend's included), every exact product shifted to F fraction bits and truncated toward zero,
 * an int64 sum, and a round toward zero to binary32 (output_precision significand bits: 24, or
 * 14 for FP8 "e8m13") that becomes the next block's addend. */
void quantsim_baseline_block_fma_gemm(int m, int n_cols, int k, int block, int kept_fraction_bits,
                                      int product_fraction_bits, int output_precision,
                                      const int32_t *a_sig, const int32_t *a_exp,
                                      const int32_t *bt_sig, const int32_t *bt_exp,
                                      const uint32_t *c, uint32_t *d);

/* The same arithmetic in the vertical layout: 16 output columns in the lanes of the innermost
 * loops, 4 rows per step, B in its natural K x N layout (b_sig/b_exp K x N). m % 4 == 0,
 * n_cols % 16 == 0, k % block == 0; finite operands, no overflow. */
void quantsim_baseline_block_fma_gemm_vertical(int m, int n_cols, int k, int block, int kept_fraction_bits,
                                               int product_fraction_bits, int output_precision,
                                               const int32_t *a_sig, const int32_t *a_exp,
                                               const int32_t *b_sig, const int32_t *b_exp,
                                               const uint32_t *c, uint32_t *d);

/* Exact INT8 GEMM into int32 (wrapping): A M x K, Bt N x K, D M x N. */
void quantsim_baseline_int8_gemm(int m, int n_cols, int k, const int8_t *a, const int8_t *bt, const int32_t *c,
                                 int32_t *d);
/* The same, register-blocked 4 x 4 (m and n_cols multiples of 4). */
void quantsim_baseline_int8_gemm_blocked(int m, int n_cols, int k, const int8_t *a, const int8_t *bt, const int32_t *c,
                                         int32_t *d);

/* The bench's MPFR reference dot product (E4M3, 4096 terms) written in C with the same MPFR
 * calls: exact products with mpfr_mul, mpfr_sum, the reference's rounding to binary32. */
typedef struct quantsim_mpfr_dot quantsim_mpfr_dot_t;
quantsim_mpfr_dot_t *quantsim_baseline_mpfr_dot_create(int n, const double *table_values);
float quantsim_baseline_mpfr_dot_run(quantsim_mpfr_dot_t *c, const uint8_t *a, const uint8_t *b);
void quantsim_baseline_mpfr_dot_free(quantsim_mpfr_dot_t *c);
#endif
