/*
 * vars.c: the shell's variables (a list sorted by name, each with its export and readonly flags),
 * the environment handed to programs (the exported variables), functions, and what is saved and
 * restored around them: `local` variables (per function call), and whole snapshots for the
 * emulated subshell. PATH is also kept in the C library's environ, where posix_spawnp looks for it.
 */
#include <stdlib.h>
#include <string.h>

#include "sh.h"

static struct var *vars;
static struct func *funcs;

struct saved {
  struct saved *next;
  char *name;
  char *value; /* NULL: was unset */
  int flags;
  int existed;
};

struct localframe {
  struct localframe *next;
  struct saved *saved;
};
static struct localframe *locals;

struct var *var_list(void) { return vars; }

struct var *var_find(const char *name) {
  for (struct var *v = vars; v; v = v->next) {
    int c = strcmp(v->name, name);
    if (c == 0) return v;
    if (c > 0) break;
  }
  return NULL;
}

static struct var *var_make(const char *name) {
  struct var **pp = &vars;
  while (*pp && strcmp((*pp)->name, name) < 0) pp = &(*pp)->next;
  if (*pp && strcmp((*pp)->name, name) == 0) return *pp;
  struct var *v = xmalloc(sizeof *v);
  v->name = xstrdup(name);
  v->value = NULL;
  v->flags = 0;
  v->next = *pp;
  *pp = v;
  return v;
}

static void sync_environ(const char *name, const char *value) {
  if (strcmp(name, "PATH") != 0) return;
  if (value) setenv("PATH", value, 1);
  else unsetenv("PATH");
}

const char *var_get(const char *name) {
  struct var *v = var_find(name);
  return v ? v->value : NULL;
}

int var_set(const char *name, const char *value, int flags) {
  struct var *v = var_make(name);
  if (v->flags & V_READONLY) {
    sh_warn("%s: readonly variable", name);
    return -1;
  }
  if (value) {
    char *copy = xstrdup(value);
    free(v->value);
    v->value = copy;
  }
  v->flags |= flags;
  sync_environ(name, v->value);
  return 0;
}

int var_unset(const char *name) {
  struct var **pp = &vars;
  while (*pp && strcmp((*pp)->name, name) != 0) pp = &(*pp)->next;
  if (!*pp) return 0;
  struct var *v = *pp;
  if (v->flags & V_READONLY) {
    sh_warn("%s: readonly variable", name);
    return -1;
  }
  *pp = v->next;
  free(v->name);
  free(v->value);
  free(v);
  sync_environ(name, NULL);
  return 0;
}

void var_import(char **env) {
  for (char **e = env; e && *e; e++) {
    const char *eq = strchr(*e, '=');
    if (!eq || eq == *e) continue;
    char *name = xstrndup(*e, (size_t)(eq - *e));
    if (is_name(name)) var_set(name, eq + 1, V_EXPORT);
    free(name);
  }
}

char **var_environ(strvec *env) {
  for (struct var *v = vars; v; v = v->next)
    if ((v->flags & V_EXPORT) && v->value) sv_push(env, xasprintf("%s=%s", v->name, v->value));
  return sv_term(env);
}

/* NAME=VALUE: the value expanded (tilde after = and :, no splitting or globbing) and assigned. */
int assign_word(const char *word, int flags) {
  size_t n = name_len(word);
  char *name = xstrndup(word, n);
  char *value = expand_string(word + n + 1, X_ASSIGN);
  int rc = -1;
  if (value) rc = var_set(name, value, flags);
  free(name);
  free(value);
  return rc;
}

void var_free_list(struct var *list) {
  while (list) {
    struct var *next = list->next;
    free(list->name);
    free(list->value);
    free(list);
    list = next;
  }
}

struct var *var_snapshot(void) {
  struct var *head = NULL, **tail = &head;
  for (struct var *v = vars; v; v = v->next) {
    struct var *c = xmalloc(sizeof *c);
    c->name = xstrdup(v->name);
    c->value = v->value ? xstrdup(v->value) : NULL;
    c->flags = v->flags;
    c->next = NULL;
    *tail = c;
    tail = &c->next;
  }
  return head;
}

void var_restore(struct var *snap) {
  var_free_list(vars);
  vars = snap;
  sync_environ("PATH", var_get("PATH"));
}

/* ---- local variables ---- */

void local_push(void) {
  struct localframe *f = xmalloc(sizeof *f);
  f->saved = NULL;
  f->next = locals;
  locals = f;
}

void local_save(const char *name) {
  if (!locals) return;
  for (struct saved *s = locals->saved; s; s = s->next)
    if (strcmp(s->name, name) == 0) return;
  struct saved *s = xmalloc(sizeof *s);
  struct var *v = var_find(name);
  s->name = xstrdup(name);
  s->existed = v != NULL;
  s->value = v && v->value ? xstrdup(v->value) : NULL;
  s->flags = v ? v->flags : 0;
  s->next = locals->saved;
  locals->saved = s;
}

void local_pop(void) {
  struct localframe *f = locals;
  if (!f) return;
  locals = f->next;
  while (f->saved) {
    struct saved *s = f->saved;
    f->saved = s->next;
    struct var *v = var_find(s->name);
    if (v) v->flags &= ~V_READONLY;
    if (!s->existed) {
      var_unset(s->name);
    } else {
      v = var_make(s->name);
      free(v->value);
      v->value = s->value;
      v->flags = s->flags;
      sync_environ(v->name, v->value);
    }
    free(s->name);
    free(s);
  }
  free(f);
}

/* ---- functions ---- */

struct func *func_find(const char *name) {
  for (struct func *f = funcs; f; f = f->next)
    if (strcmp(f->name, name) == 0) return f;
  return NULL;
}

void func_define(const char *name, struct node *body) {
  struct func *f = func_find(name);
  if (!f) {
    f = xmalloc(sizeof *f);
    f->name = xstrdup(name);
    f->next = funcs;
    funcs = f;
  }
  f->body = body;
}

int func_unset(const char *name) {
  for (struct func **pp = &funcs; *pp; pp = &(*pp)->next) {
    if (strcmp((*pp)->name, name) == 0) {
      struct func *f = *pp;
      *pp = f->next;
      free(f->name);
      free(f);
      return 0;
    }
  }
  return 0;
}

struct func *func_snapshot(void) {
  struct func *head = NULL, **tail = &head;
  for (struct func *f = funcs; f; f = f->next) {
    struct func *c = xmalloc(sizeof *c);
    c->name = xstrdup(f->name);
    c->body = f->body;
    c->next = NULL;
    *tail = c;
    tail = &c->next;
  }
  return head;
}

void func_restore(struct func *snap) {
  while (funcs) {
    struct func *next = funcs->next;
    free(funcs->name);
    free(funcs);
    funcs = next;
  }
  funcs = snap;
}
