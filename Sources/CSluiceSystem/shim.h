/* Linux calls that Swift's Glibc module leaves out: glibc declares them only under
   _GNU_SOURCE, which that module is built without. Declarations only; libc provides them. */
#ifdef __linux__
/* syncfs(2): flush the one file system that holds fd, not every mounted one as sync(2) does. */
int syncfs(int fd);
#endif
