/*
 * false: do nothing, unsuccessfully. Every argument is ignored; the exit status is 1.
 */
int main(void) { return 1; }
