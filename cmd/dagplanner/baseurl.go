package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
)

// checkBaseURL checks a --base-url and returns it without a trailing slash.
func checkBaseURL(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("%q is not a URL: %w", s, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%q must be an http:// or https:// address such as https://dagplanner.example.nl", s)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// baseURLFor is the base URL of a server listening on addr: http://, and localhost when it
// listens on every address.
func baseURLFor(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// baseURLMismatch says why base cannot reach a server listening on addr, or "" when it
// may. Only a base URL naming this machine (localhost, a loopback address or the address
// listened on) is checked: any other host may be a reverse proxy on another port.
func baseURLMismatch(base string, addr net.Addr) string {
	u, err := url.Parse(base)
	if err != nil {
		return ""
	}
	listenHost, listenPort, err := net.SplitHostPort(addr.String())
	if err != nil {
		return ""
	}
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	ip := net.ParseIP(host)
	local := strings.EqualFold(host, "localhost") || (ip != nil && (ip.IsLoopback() || ip.Equal(net.ParseIP(listenHost))))
	if !local || port == listenPort {
		return ""
	}
	return fmt.Sprintf("--base-url %s names port %s of this machine, but the server listens on port %s: links in e-mails, the banner and the door pairing QR code will not reach it", base, port, listenPort)
}

// resolveBaseURL returns the base URL to use for a server listening on addr: the one
// given, with a warning when it cannot reach the server, or else one derived from addr.
func resolveBaseURL(given string, addr net.Addr, log *slog.Logger) string {
	if given == "" {
		base := baseURLFor(addr)
		log.Info("no --base-url given: links use the address the server listens on; set --base-url to the public address", "url", base)
		return base
	}
	if why := baseURLMismatch(given, addr); why != "" {
		log.Warn(why)
	}
	return given
}
