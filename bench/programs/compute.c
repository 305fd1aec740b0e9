// compute.c: the compute-only guest of the `programs` benchmark (bench/programs.ts). `compute SCALE`
// runs three kernels SCALE times each and prints one checksum line, so that no work can be optimised
// away and a run under webmach can be compared with one under node:wasi: a tight integer loop
// (xorshift and multiply-add in registers), a sieve of Eratosthenes over 8 MiB (memory-bound, strided
// writes) and a 192x192 integer matrix product (loads in cache-unfriendly column order). It makes no
// system call between its start and its one line of output.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIEVE_BYTES (8u << 20)
#define N 192

static uint8_t composite[SIEVE_BYTES];
static uint32_t a[N][N], b[N][N], c[N][N];

/** 2^24 rounds of xorshift32 mixed into a multiply-add accumulator. */
static uint32_t integer_loop(uint32_t seed) {
  uint32_t x = seed | 1, acc = 0;
  for (uint32_t i = 0; i < (1u << 24); i++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    acc = acc * 31u + (x >> 3);
  }
  return acc;
}

/** Count the primes below SIEVE_BYTES. */
static uint32_t sieve(void) {
  memset(composite, 0, sizeof composite);
  uint32_t primes = 0;
  for (uint32_t i = 2; i < SIEVE_BYTES; i++) {
    if (composite[i]) continue;
    primes++;
    for (uint64_t j = (uint64_t)i * i; j < SIEVE_BYTES; j += i) composite[j] = 1;
  }
  return primes;
}

/** c = a * b over uint32 (wrapping); returns the sum of c's entries. */
static uint32_t matmul(uint32_t seed) {
  for (uint32_t i = 0; i < N; i++)
    for (uint32_t j = 0; j < N; j++) {
      a[i][j] = (i * 7u + j * 3u + seed) & 0xff;
      b[i][j] = (i * 5u + j * 11u + seed) & 0xff;
    }
  uint32_t sum = 0;
  for (uint32_t i = 0; i < N; i++)
    for (uint32_t j = 0; j < N; j++) {
      uint32_t s = 0;
      for (uint32_t k = 0; k < N; k++) s += a[i][k] * b[k][j];
      c[i][j] = s;
      sum += s;
    }
  return sum;
}

int main(int argc, char **argv) {
  int scale = argc > 1 ? atoi(argv[1]) : 1;
  if (scale < 1) {
    fprintf(stderr, "usage: compute SCALE (a positive count of rounds)\n");
    return 2;
  }
  uint32_t check = 0;
  for (int r = 0; r < scale; r++) {
    check = check * 33u + integer_loop((uint32_t)r + 1);
    check = check * 33u + sieve();
    check = check * 33u + matmul((uint32_t)r);
  }
  printf("compute %d: checksum %08x\n", scale, check);
  return 0;
}
