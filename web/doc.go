// Package web is Loupe's HTTP adapter: every route in routes.go, one table
// of who may reach each route, sessions in the database behind a cookie
// that holds only a random id, CSRF protection, security headers, and one
// small handler per concern.
package web
