/* args_environ.c: args_sizes_get/args_get and environ_sizes_get/environ_get, called raw.
 * The test runs it as `args_environ.wasm one "two words" "" ünï` with the environment
 * WASI_A=1, WASI_EMPTY=, WASI_EQ=x=y and nothing else; it prints every argument and every
 * variable (sorted: the order of the environment is unspecified) and checks that the sizes
 * agree with the strings.
 */
#include "check.h"

static int by_string(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Prints the strings and checks the byte count from the *_sizes_get call. */
static void show(const char *what, char **list, __wasi_size_t count, __wasi_size_t size, int sorted) {
  __wasi_size_t total = 0;
  if (sorted) qsort(list, count, sizeof list[0], by_string);
  for (__wasi_size_t i = 0; i < count; i++) {
    char name[32], text[200];
    snprintf(name, sizeof name, "%s[%u]", what, (unsigned)i);
    say("%s: %s", name, quote(text, sizeof text, list[i], strlen(list[i])));
    total += strlen(list[i]) + 1;
  }
  char name[32];
  snprintf(name, sizeof name, "%s buffer size matches", what);
  check_yes(name, total == size, 1);
}

static void args(void) {
  __wasi_size_t count, size;
  check("args_sizes_get", __wasi_args_sizes_get(&count, &size), OK);
  check_num("argc", count, 5);
  char **argv = calloc(count + 1, sizeof *argv);
  char *buf = malloc(size);
  check("args_get", __wasi_args_get((uint8_t **)argv, (uint8_t *)buf), OK);
  check_yes("argv strings inside the buffer", count == 0 || (argv[0] == buf && argv[count - 1] < buf + size), 1);
  show("argv", argv, count, size, 0);
}

static void environ_(void) {
  __wasi_size_t count, size;
  check("environ_sizes_get", __wasi_environ_sizes_get(&count, &size), OK);
  check_num("environ count", count, 3);
  char **env = calloc(count + 1, sizeof *env);
  char *buf = malloc(size);
  check("environ_get", __wasi_environ_get((uint8_t **)env, (uint8_t *)buf), OK);
  show("environ", env, count, size, 1);
  const char *eq = getenv("WASI_EQ");
  check_bytes("getenv WASI_EQ", eq ? eq : "(null)", eq ? strlen(eq) : 6, "x=y");
}

int main(void) {
  args();
  environ_();
  return 0;
}
