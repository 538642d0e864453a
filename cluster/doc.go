// Package cluster runs several Dagplanner processes on one database behind nginx, for tests
// and for the load command: it renders the production nginx site (deploy/nginx/dagplanner.conf)
// onto loopback ports with a self-signed certificate, checks it with nginx -t and starts
// nginx; it starts, kills (SIGKILL) and restarts the processes, each naming itself to
// PostgreSQL as dagplanner-<i>; it creates and drops a throw-away PostgreSQL database, samples
// the connections per process, and receives the e-mails in an SMTP server of its own.
package cluster
