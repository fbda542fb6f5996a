// Package sqlite implements the domain's stores on an SQLite file: WAL, durable commits,
// foreign keys on every connection, one writer handle and a pool of readers, and embedded
// migrations run by goose at open. It is the only package that knows SQL or the driver.
package sqlite
