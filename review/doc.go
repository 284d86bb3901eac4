// Package review holds Loupe's domain: the types people and platforms work
// with (users, roles, sessions, audit entries and, later, items, queues and
// decisions), their validation, the policies that govern them, and the
// interfaces that storage engines implement. It does no I/O of its own.
package review
