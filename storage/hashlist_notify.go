package storage

// hashListChannel is the PostgreSQL notification channel on which a
// hash-list change announces the list's new version.
const hashListChannel = "loupe_hashlists"
