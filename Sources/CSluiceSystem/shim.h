/* Linux calls that Swift's Glibc module leaves out: glibc declares them only under
   _GNU_SOURCE, which that module is built without. Declarations only; libc provides them. */
#ifdef __linux__
/* syncfs(2): flush the one file system that holds fd, not every mounted one as sync(2) does. */
int syncfs(int fd);
/* renameat2(2) with RENAME_NOREPLACE: a rename that fails with EEXIST instead of replacing,
   atomically, in one call. */
int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags);
#define SLUICE_RENAME_NOREPLACE (1U << 0)
#endif
