package cluster

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"
)

// NginxBinary is the nginx that StartNginx runs; Debian installs it here (scripts/test does).
var NginxBinary = "/usr/sbin/nginx"

// SiteOptions says where the rendered site listens and what it proxies to.
type SiteOptions struct {
	Upstreams []string // host:port of each Dagplanner process
	HTTPS     string   // host:port of the TLS server
	HTTP      string   // host:port of the redirecting plain-HTTP server
	Cert, Key string   // PEM files of the certificate and its key
}

var (
	upstreamRE = regexp.MustCompile(`(?m)^([ \t]*)server 127\.0\.0\.1:\d+([^;\n]*);\n`)
	listen80RE = regexp.MustCompile(`(?m)^([ \t]*)listen 80;\n`)
	listen443  = regexp.MustCompile(`(?m)^([ \t]*)listen 443 ssl([^;\n]*);\n`)
	listenV6RE = regexp.MustCompile(`(?m)^[ \t]*listen \[::\]:\d+[^;\n]*;\n`)
	certRE     = regexp.MustCompile(`(?m)^([ \t]*)ssl_certificate[ \t]+\S+;`)
	keyRE      = regexp.MustCompile(`(?m)^([ \t]*)ssl_certificate_key[ \t]+\S+;`)
)

// RenderSite turns the production site into one that serves on loopback: the upstream's
// servers become opts.Upstreams (with the first server's parameters), the listen lines
// opts.HTTP and opts.HTTPS (the IPv6 ones go), and the certificate paths opts.Cert and
// opts.Key. Everything else (headers, timeouts, retries, body size, /metrics) is the file as
// it ships. It fails when the site no longer has a line it expects, so the file and its test
// cannot drift apart unnoticed.
func RenderSite(site string, opts SiteOptions) (string, error) {
	servers := upstreamRE.FindAllStringSubmatchIndex(site, -1)
	if len(servers) == 0 || len(opts.Upstreams) == 0 {
		return "", errors.New("render nginx site: no \"server 127.0.0.1:PORT\" lines in the upstream, or no upstreams given")
	}
	first := servers[0]
	indent, params := site[first[2]:first[3]], site[first[4]:first[5]]
	var lines strings.Builder
	for _, u := range opts.Upstreams {
		fmt.Fprintf(&lines, "%sserver %s%s;\n", indent, u, params)
	}
	last := servers[len(servers)-1]
	site = site[:first[0]] + lines.String() + site[last[1]:]

	steps := []struct {
		re   *regexp.Regexp
		repl string
		what string
	}{
		{listen80RE, "${1}listen " + opts.HTTP + ";\n", "listen 80"},
		{listen443, "${1}listen " + opts.HTTPS + " ssl${2};\n", "listen 443 ssl"},
		{certRE, "${1}ssl_certificate " + opts.Cert + ";", "ssl_certificate"},
		{keyRE, "${1}ssl_certificate_key " + opts.Key + ";", "ssl_certificate_key"},
		{listenV6RE, "", "listen [::]"},
	}
	for _, s := range steps {
		if !s.re.MatchString(site) {
			return "", fmt.Errorf("render nginx site: no %q line", s.what)
		}
		site = s.re.ReplaceAllString(site, s.repl)
	}
	return site, nil
}

// mainConf wraps a site in a whole nginx.conf whose pid file, logs and temp files live in dir.
func mainConf(dir, sitePath string) string {
	user := ""
	if os.Geteuid() == 0 {
		// As root nginx would run its workers as nobody, who cannot write the temp dir.
		user = "user root;\n"
	}
	return fmt.Sprintf(`%sworker_processes 1;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	client_body_temp_path %[2]s/client_body;
	proxy_temp_path %[2]s/proxy;
	fastcgi_temp_path %[2]s/fastcgi;
	uwsgi_temp_path %[2]s/uwsgi;
	scgi_temp_path %[2]s/scgi;
	include %[3]s;
}
`, user, dir, sitePath)
}

// Nginx is a running nginx serving a rendered site.
type Nginx struct {
	URL     string      // https://127.0.0.1:PORT
	HTTPURL string      // http://127.0.0.1:PORT, which redirects to HTTPS
	TLS     *tls.Config // trusts the site's self-signed certificate
	Dir     string
	cmd     *exec.Cmd
	done    chan error
}

// StartNginx renders the site file at sitePath in front of upstreams into dir (which must
// exist), checks it with nginx -t, starts nginx in the foreground and waits until its TLS
// port accepts connections. Stop ends it.
func StartNginx(ctx context.Context, dir, sitePath string, upstreams []string) (*Nginx, error) {
	raw, err := os.ReadFile(sitePath)
	if err != nil {
		return nil, err
	}
	cert, key, pool, err := writeCert(dir)
	if err != nil {
		return nil, err
	}
	httpsAddr, err := FreeAddr()
	if err != nil {
		return nil, err
	}
	httpAddr, err := FreeAddr()
	if err != nil {
		return nil, err
	}
	site, err := RenderSite(string(raw), SiteOptions{Upstreams: upstreams, HTTPS: httpsAddr, HTTP: httpAddr, Cert: cert, Key: key})
	if err != nil {
		return nil, err
	}
	renderedSite := filepath.Join(dir, "site.conf")
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(renderedSite, []byte(site), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(conf, []byte(mainConf(dir, renderedSite)), 0o644); err != nil {
		return nil, err
	}
	args := []string{"-p", dir, "-c", conf, "-e", filepath.Join(dir, "error.log")}
	if out, err := exec.CommandContext(ctx, NginxBinary, append(args, "-t")...).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("nginx -t: %w\n%s", err, out)
	}
	n := &Nginx{URL: "https://" + httpsAddr, HTTPURL: "http://" + httpAddr, Dir: dir,
		TLS: &tls.Config{RootCAs: pool}, done: make(chan error, 1)}
	n.cmd = exec.Command(NginxBinary, append(args, "-g", "daemon off;")...)
	n.cmd.Stderr = os.Stderr
	if err := n.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start nginx: %w", err)
	}
	go func() { n.done <- n.cmd.Wait() }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", httpsAddr, time.Second)
		if err == nil {
			c.Close()
			return n, nil
		}
		select {
		case err := <-n.done:
			n.done <- err
			return nil, fmt.Errorf("nginx ended at start: %v; %s", err, n.ErrorLog())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			n.Stop()
			return nil, fmt.Errorf("nginx does not listen on %s after 10 s; %s", httpsAddr, n.ErrorLog())
		}
	}
}

// ErrorLog returns nginx's error log.
func (n *Nginx) ErrorLog() string {
	b, _ := os.ReadFile(filepath.Join(n.Dir, "error.log"))
	return string(b)
}

// Stop shuts nginx down (SIGQUIT lets its workers finish; SIGKILL after 5 s).
func (n *Nginx) Stop() {
	if n.cmd.Process == nil {
		return
	}
	n.cmd.Process.Signal(syscall.SIGQUIT)
	select {
	case err := <-n.done:
		n.done <- err
	case <-time.After(5 * time.Second):
		n.cmd.Process.Kill()
	}
}
