package handlers

import "strings"

// deviceSummary names the browser and system a user agent describes, for the list of
// sign-ins: "Chrome op Linux". It knows the common browsers and systems; anything else is
// "unknown browser" or "unknown system" rather than a guess.
func deviceSummary(p Page, userAgent string) string {
	browser, system := p.T("account.device.unknown_browser"), p.T("account.device.unknown_system")
	for _, b := range []struct{ token, name string }{
		// Order matters: Edge and Opera say "Chrome", Chrome says "Safari".
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"Chromium/", "Chromium"},
		{"Chrome/", "Chrome"}, {"CriOS/", "Chrome"}, {"FxiOS/", "Firefox"}, {"Safari/", "Safari"},
	} {
		if strings.Contains(userAgent, b.token) {
			browser = b.name
			break
		}
	}
	for _, s := range []struct{ token, name string }{
		{"Android", "Android"}, {"iPhone", "iOS"}, {"iPad", "iPadOS"}, {"CrOS", "ChromeOS"},
		{"Windows", "Windows"}, {"Mac OS X", "macOS"}, {"Macintosh", "macOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(userAgent, s.token) {
			system = s.name
			break
		}
	}
	return p.T("account.device", "Browser", browser, "System", system)
}
