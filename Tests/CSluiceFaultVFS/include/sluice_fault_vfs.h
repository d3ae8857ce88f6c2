/* A SQLite VFS for the fault-injection tests, after SQLite's own I/O-error tests: it passes
   every call to the default VFS and fails the Nth xWrite or xSync with a chosen error code.
   Open a database through it with the URI `file:PATH?vfs=sluice-fault`. */
#ifndef SLUICE_FAULT_VFS_H
#define SLUICE_FAULT_VFS_H

/* Registers the VFS "sluice-fault" (not as the default); safe to call more than once.
   Returns SQLITE_OK or an error code. */
int sluice_fault_vfs_register(void);

/* From now on, counts xWrite and xSync calls from 1 and fails call number fail_at (0: never)
   with error_code (e.g. SQLITE_IOERR_WRITE, SQLITE_FULL); xSync fails with SQLITE_IOERR_FSYNC
   unless error_code is SQLITE_FULL. Every later call fails too when sticky is non-zero. */
void sluice_fault_vfs_arm(int fail_at, int error_code, int sticky);

/* The xWrite and xSync calls counted since the last arm. */
int sluice_fault_vfs_calls(void);

/* Whether a failure was injected since the last arm. */
int sluice_fault_vfs_fired(void);

#endif
