/*
 * true: do nothing, successfully. Every argument is ignored; the exit status is 0.
 */
int main(void) { return 0; }
