// The system SQLite, with the session extension's declarations exposed
// (Debian's libsqlite3 is built with it; the benchmark compares against it).
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>
