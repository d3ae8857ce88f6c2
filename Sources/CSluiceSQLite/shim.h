#include <sqlite3.h>

/// Turns off SQLite's memory statistics, which take a global mutex on every allocation. Must run
/// before SQLite initialises (the first open); later it returns SQLITE_MISUSE and changes nothing.
/// `sqlite3_config` is variadic, which Swift cannot call, hence this wrapper.
static inline int sluice_sqlite3_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
