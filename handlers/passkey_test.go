package handlers

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-webauthn/webauthn/protocol/webauthncbor"
	"github.com/go-webauthn/webauthn/protocol/webauthncose"

	"github.com/ambtenaar20/dagplanner/models"
)

// passkeyServer is the site with the base URL http://localhost (WebAuthn needs a domain
// name), plus one route that exists only in these tests: POST /test/pending/{id} puts
// "pending_user_id" into the session, as a password sign-in that still owes a second factor
// does (that sign-in is built elsewhere).
func passkeyServer(t *testing.T) *testServer {
	t.Helper()
	store := newDemoStore(t)
	h, err := newHandler(Config{Store: store, Logger: discardLogger(), BaseURL: "http://localhost"})
	if err != nil {
		t.Fatal(err)
	}
	routes, err := h.routes()
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", routes)
	mux.HandleFunc("POST /test/pending/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, _ := strconv.Atoi(r.PathValue("id"))
		h.sessions.Put(r.Context(), sessionPendingUser, id)
		h.sessions.Put(r.Context(), sessionPendingAt, time.Now().Unix())
	})
	return serve(t, store, h.sessions.LoadAndSave(mux))
}

// postJSON posts body as JSON from a page of this site.
func (ts *testServer) postJSON(t *testing.T, path, body string, headers ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, ts.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	hdrs := append([]string{"Content-Type", "application/json", "Accept", "application/json",
		"Origin", ts.URL, "Sec-Fetch-Site", "same-origin"}, headers...)
	return ts.do(t, req, hdrs...)
}

// wantPasskeyError checks a ceremony request's refusal: the status, the API's error shape
// with the code, and the message in the person's language.
func wantPasskeyError(t *testing.T, what string, resp *http.Response, body string, status int, code, message string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("%s: status %d, want %d; body %s", what, resp.StatusCode, status, body)
	}
	var e APIError
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatalf("%s: body is not the API's error shape: %v\n%s", what, err, body)
	}
	if e.Error.Code != code || !strings.Contains(e.Error.Message, message) {
		t.Errorf("%s: error %+v, want code %q and a message with %q", what, e.Error, code, message)
	}
}

// beginOptions is the part of a ceremony's options the tests look at.
type beginOptions struct {
	PublicKey struct {
		Challenge string `json:"challenge"`
		RPID      string `json:"rpId"`
		RP        struct {
			ID string `json:"id"`
		} `json:"rp"`
		User struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"user"`
		AuthenticatorSelection struct {
			ResidentKey      string `json:"residentKey"`
			UserVerification string `json:"userVerification"`
		} `json:"authenticatorSelection"`
		UserVerification   string                `json:"userVerification"`
		AllowCredentials   []struct{ ID string } `json:"allowCredentials"`
		ExcludeCredentials []struct{ ID string } `json:"excludeCredentials"`
	} `json:"publicKey"`
}

func begin(t *testing.T, ts *testServer, path, body string) beginOptions {
	t.Helper()
	resp, b := ts.postJSON(t, path, body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: status %d, want 200; body %s", path, resp.StatusCode, b)
	}
	var o beginOptions
	if err := json.Unmarshal([]byte(b), &o); err != nil || o.PublicKey.Challenge == "" {
		t.Fatalf("POST %s: options %s (%v), want a challenge", path, b, err)
	}
	return o
}

// softKey is an authenticator in software: a P-256 key pair that signs assertions as a
// passkey does, so the server's checks run on real signatures.
type softKey struct {
	key *ecdsa.PrivateKey
	id  []byte
}

func newSoftKey(t *testing.T) softKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id := make([]byte, 16)
	rand.Read(id)
	return softKey{key: k, id: id}
}

// cose is the public key as WebAuthn stores it.
func (k softKey) cose(t *testing.T) []byte {
	t.Helper()
	pub, err := k.key.PublicKey.Bytes() // 0x04 || X || Y
	if err != nil {
		t.Fatal(err)
	}
	b, err := webauthncbor.Marshal(webauthncose.EC2PublicKeyData{
		PublicKeyData: webauthncose.PublicKeyData{KeyType: int64(webauthncose.EllipticKey), Algorithm: int64(webauthncose.AlgES256)},
		Curve:         1, XCoord: pub[1:33], YCoord: pub[33:65]})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// assert answers challenge as the browser would at http://localhost, with the signature
// counter count and the user handle.
func (k softKey) assert(t *testing.T, challenge string, count uint32, handle []byte) string {
	t.Helper()
	clientData, _ := json.Marshal(map[string]any{"type": "webauthn.get", "challenge": challenge, "origin": "http://localhost", "crossOrigin": false})
	rpHash := sha256.Sum256([]byte("localhost"))
	auth := append(rpHash[:], 0x05) // user present and verified
	auth = binary.BigEndian.AppendUint32(auth, count)
	cdHash := sha256.Sum256(clientData)
	digest := sha256.Sum256(append(append([]byte{}, auth...), cdHash[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, k.key, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	b64 := base64.RawURLEncoding.EncodeToString
	body, _ := json.Marshal(map[string]any{"id": b64(k.id), "rawId": b64(k.id), "type": "public-key",
		"response": map[string]any{"clientDataJSON": b64(clientData), "authenticatorData": b64(auth),
			"signature": b64(sig), "userHandle": b64(handle)},
		"clientExtensionResults": map[string]any{}})
	return string(body)
}

// addSoftPasskey stores k as a passkey of user, with the signature counter count.
func addSoftPasskey(t *testing.T, ts *testServer, user models.User, k softKey, name string, count uint32) models.Passkey {
	t.Helper()
	ctx := models.WithActor(context.Background(), models.Actor{Kind: models.ActorUser, ID: user.ID, Name: user.Email})
	p, err := ts.Store.AddPasskey(ctx, models.PasskeyInput{UserID: user.ID, Name: name, CredentialID: k.id,
		PublicKey: k.cose(t), SignCount: count, UserVerified: true, AttestationFormat: "none"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func passkeyHandle(t *testing.T, ts *testServer, user models.User) []byte {
	t.Helper()
	h, err := ts.Store.PasskeyHandle(context.Background(), user.ID)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// trail is the account's audit actions, newest first.
func trail(t *testing.T, ts *testServer, userID uint) []string {
	t.Helper()
	entries, err := ts.Store.AuditTrail(context.Background(), "user", userID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.Action == models.AuditSignIn || e.Action == models.AuditSignInEnded {
			continue // every sign-in's own entries; the sign-in tests check those
		}
		out = append(out, e.Action+":"+fmt.Sprint(e.DetailMap()["reason"]))
	}
	return out
}

// TestPasskeyRoutes checks who may use each passkey route: the own passkey page and its
// ceremonies for every signed-in role (and nobody else), the sign-in ceremonies for anyone,
// and the second-step page only while a password sign-in owes its second factor.
func TestPasskeyRoutes(t *testing.T) {
	t.Parallel()
	ts := passkeyServer(t)
	anon := ts.withNewClient(t)
	if resp, _ := anon.get(t, passkeysPath); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/beheer/inloggen") {
		t.Errorf("anonymous GET %s: %d → %q, want 303 to the sign-in page", passkeysPath, resp.StatusCode, resp.Header.Get("Location"))
	}
	for _, path := range []string{passkeysPath + "/registratie/begin", passkeysPath + "/registratie/afronden", passkeysPath + "/1/verwijderen"} {
		resp, _ := anon.postJSON(t, path, `{"name":"x"}`)
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/beheer/inloggen") {
			t.Errorf("anonymous POST %s: %d → %q, want 303 to the sign-in page", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}

	var users []models.User
	for _, role := range models.Roles {
		t.Run(role, func(t *testing.T) {
			c := ts.withNewClient(t)
			u := c.loginAs(t, role, map[bool]string{true: "zwolle"}[role == models.RoleDoor])
			users = append(users, u)
			resp, body := c.get(t, passkeysPath)
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, nlMsg(t, "passkey.add_button")) || !strings.Contains(body, "/static/passkey.") {
				t.Fatalf("GET %s as %s: %d, want 200 with the add form and its script\n%s", passkeysPath, role, resp.StatusCode, body)
			}
			o := begin(t, c, passkeysPath+"/registratie/begin", `{"name":"Laptop"}`)
			pk := o.PublicKey
			if pk.RP.ID != "localhost" || pk.User.Name != u.Email || pk.User.ID == "" ||
				pk.AuthenticatorSelection.ResidentKey != "required" || pk.AuthenticatorSelection.UserVerification != "required" {
				t.Errorf("registration options %+v, want RP localhost, the account, a discoverable credential with user verification", pk)
			}
			// A garbled answer is refused, and the ceremony is gone with it: it is single use.
			resp, body = c.postJSON(t, passkeysPath+"/registratie/afronden", `{"id":"x"}`)
			wantPasskeyError(t, "garbled registration", resp, body, http.StatusBadRequest, "bad_response", nlText(t, "passkey.bad_response"))
			resp, body = c.postJSON(t, passkeysPath+"/registratie/afronden", `{"id":"x"}`)
			wantPasskeyError(t, "second finish", resp, body, http.StatusBadRequest, "no_ceremony", nlText(t, "passkey.expired"))
		})
	}

	// Removing: one's own passkey only.
	owner, other := users[0], ts.withNewClient(t)
	otherUser := other.loginAs(t, models.RoleReviewer, "")
	ownerKey := newSoftKey(t)
	p := addSoftPasskey(t, ts, owner, ownerKey, "Sleutel", 0)
	resp, _ := other.postForm(t, fmt.Sprintf("%s/%d/verwijderen", passkeysPath, p.ID), nil)
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("removing another account's passkey: %d, want 404", resp.StatusCode)
	}
	if has, _ := ts.Store.HasPasskey(context.Background(), owner.ID); !has {
		t.Error("another account removed the passkey")
	}
	if got := trail(t, ts, otherUser.ID); len(got) != 0 {
		t.Errorf("a refused removal wrote %v", got)
	}

	// Signing in: anyone may begin; the second step only with a pending password sign-in.
	o := begin(t, anon, "/beheer/inloggen/passkey/begin", `{"back":"/beheer/sessies"}`)
	if o.PublicKey.RPID != "localhost" || o.PublicKey.UserVerification != "required" || len(o.PublicKey.AllowCredentials) != 0 {
		t.Errorf("sign-in options %+v, want RP localhost, user verification, no account named", o.PublicKey)
	}
	resp, _ = anon.get(t, "/beheer/inloggen/passkey")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/beheer/inloggen" {
		t.Errorf("second step without a password first: %d → %q, want 303 to /beheer/inloggen", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body := anon.postJSON(t, "/beheer/inloggen/passkey/tweede-stap/begin", `{}`)
	wantPasskeyError(t, "second step without a password first", resp, body, http.StatusUnauthorized, "not_pending", nlText(t, "passkey.not_pending"))
	resp, body = anon.postJSON(t, "/beheer/inloggen/passkey/tweede-stap/afronden", `{}`)
	wantPasskeyError(t, "finish without begin", resp, body, http.StatusBadRequest, "no_ceremony", nlText(t, "passkey.expired"))

	pending := ts.withNewClient(t)
	pending.postJSON(t, fmt.Sprintf("/test/pending/%d", otherUser.ID), "")
	resp, body = pending.get(t, "/beheer/inloggen/passkey")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, nlMsg(t, "passkey.second.none")) {
		t.Errorf("second step for an account without passkeys: %d, want 200 saying so\n%s", resp.StatusCode, body)
	}
	resp, body = pending.postJSON(t, "/beheer/inloggen/passkey/tweede-stap/begin", `{}`)
	wantPasskeyError(t, "second step without passkeys", resp, body, http.StatusConflict, "no_passkey", nlText(t, "passkey.second.none"))

	pending.postJSON(t, fmt.Sprintf("/test/pending/%d", owner.ID), "")
	resp, body = pending.get(t, "/beheer/inloggen/passkey")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, nlMsg(t, "passkey.second.button")) {
		t.Errorf("second step for an account with a passkey: %d, want 200 with the button\n%s", resp.StatusCode, body)
	}
	o = begin(t, pending, "/beheer/inloggen/passkey/tweede-stap/begin", `{}`)
	if len(o.PublicKey.AllowCredentials) != 1 || o.PublicKey.AllowCredentials[0].ID != base64.RawURLEncoding.EncodeToString(p.CredentialID) {
		t.Errorf("second-step options allow %+v, want the account's one passkey", o.PublicKey.AllowCredentials)
	}

	// The owner removes it, signed in with the password and the passkey as the second step.
	oc := ts.withNewClient(t)
	oc.postForm(t, "/beheer/inloggen", url.Values{"email": {owner.Email}, "password": {testPassword}})
	o = begin(t, oc, "/beheer/inloggen/passkey/tweede-stap/begin", `{}`)
	if resp, body := oc.postJSON(t, "/beheer/inloggen/passkey/tweede-stap/afronden",
		ownerKey.assert(t, o.PublicKey.Challenge, 1, passkeyHandle(t, ts, owner))); resp.StatusCode != http.StatusOK {
		t.Fatalf("the owner's second step with the passkey: %d %s", resp.StatusCode, body)
	}
	resp, _ = oc.postForm(t, fmt.Sprintf("%s/%d/verwijderen", passkeysPath, p.ID), nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != passkeysPath {
		t.Errorf("removing one's own passkey: %d → %q, want 303 to the list", resp.StatusCode, resp.Header.Get("Location"))
	}
	if has, _ := ts.Store.HasPasskey(context.Background(), owner.ID); has {
		t.Error("the passkey is still there after its owner removed it")
	}
}

// TestPasskeyRequestsRefused: the ceremonies' JSON endpoints refuse what they must with a
// clear message in the API's error shape, never a 500.
func TestPasskeyRequestsRefused(t *testing.T) {
	t.Parallel()
	ts := passkeyServer(t)
	u := ts.loginAs(t, models.RoleOrganiser, "")
	before := trail(t, ts, u.ID) // signing in with both steps wrote its own
	const reg = passkeysPath + "/registratie/begin"

	resp, body := ts.postJSON(t, reg, `{"name":"Laptop"}`, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin begin: %d, want 403\n%s", resp.StatusCode, body)
	}
	resp, body = ts.postJSON(t, "/beheer/inloggen/passkey/afronden", `{}`, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin finish: %d, want 403\n%s", resp.StatusCode, body)
	}

	resp, body = ts.postJSON(t, reg, `{"name":`)
	wantPasskeyError(t, "bad JSON", resp, body, http.StatusBadRequest, "bad_request", nlText(t, "passkey.bad_request"))
	resp, body = ts.postJSON(t, reg, `{"name":"`+strings.Repeat("x", 70<<10)+`"}`)
	wantPasskeyError(t, "a body over 64 KiB", resp, body, http.StatusRequestEntityTooLarge, "too_large", nlText(t, "passkey.too_large"))
	resp, body = ts.postJSON(t, reg, `{"name":"  "}`)
	wantPasskeyError(t, "no name", resp, body, http.StatusUnprocessableEntity, "invalid", "")
	var e APIError
	json.Unmarshal([]byte(body), &e)
	if e.Error.Fields["name"] == "" {
		t.Errorf("no name: fields %v, want a message for name", e.Error.Fields)
	}
	resp, body = ts.postJSON(t, reg, `{"name":"`+strings.Repeat("é", 101)+`"}`, "Cookie", "lang=en")
	wantPasskeyError(t, "a long name, in English", resp, body, http.StatusUnprocessableEntity, "invalid", "")
	json.Unmarshal([]byte(body), &e)
	if !strings.Contains(e.Error.Fields["name"], "100") {
		t.Errorf("long name: fields %v, want the limit of 100", e.Error.Fields)
	}
	// Finishing a sign-in with a registration's ceremony is refused: each kind is its own.
	begin(t, ts, reg, `{"name":"Laptop"}`)
	resp, body = ts.postJSON(t, "/beheer/inloggen/passkey/afronden", `{}`)
	wantPasskeyError(t, "sign-in finish after a registration begin", resp, body, http.StatusBadRequest, "no_ceremony", nlText(t, "passkey.expired"))

	// A site reached by its IP address cannot have passkeys: a clear 503, not a 500.
	ipSite := newTestServer(t)
	resp, body = ipSite.postJSON(t, "/beheer/inloggen/passkey/begin", `{}`)
	wantPasskeyError(t, "an IP address as base URL", resp, body, http.StatusServiceUnavailable, "unavailable", nlText(t, "passkey.unavailable"))

	// Per client: a burst, then 429 with Retry-After.
	var last *http.Response
	for range passkeyClientBurst + 1 {
		last, body = ts.postJSON(t, "/beheer/inloggen/passkey/begin", `{}`)
	}
	wantPasskeyError(t, "past the burst", last, body, http.StatusTooManyRequests, "too_many_requests", nlText(t, "passkey.too_many"))
	if last.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	if got := trail(t, ts, u.ID); len(got) != len(before) {
		t.Errorf("refused requests wrote audit entries %v (before: %v)", got, before)
	}
}

// TestPasskeySignInChecks runs sign-ins with real signatures (a software authenticator)
// through every check: unknown, removed and other accounts' passkeys, a bad signature, a
// counter that does not go up, and then a good one, each with its audit entry.
func TestPasskeySignInChecks(t *testing.T) {
	t.Parallel()
	ts := passkeyServer(t)
	ctx := context.Background()
	anna, err := ts.Store.CreateUser(ctx, models.UserInput{Email: "anna@example.nl", Password: testPassword, Role: models.RoleOrganiser})
	if err != nil {
		t.Fatal(err)
	}
	bram, err := ts.Store.CreateUser(ctx, models.UserInput{Email: "bram@example.nl", Password: testPassword, Role: models.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	annaKey, bramKey, gone, stranger := newSoftKey(t), newSoftKey(t), newSoftKey(t), newSoftKey(t)
	addSoftPasskey(t, ts, anna, annaKey, "Laptop", 10)
	addSoftPasskey(t, ts, bram, bramKey, "Telefoon", 0)
	removed := addSoftPasskey(t, ts, anna, gone, "Oud", 0)
	annaCtx := models.WithActor(ctx, models.Actor{Kind: models.ActorUser, ID: anna.ID, Name: anna.Email})
	if _, err := ts.Store.RemovePasskey(annaCtx, anna.ID, removed.ID); err != nil {
		t.Fatal(err)
	}
	annaHandle, bramHandle := passkeyHandle(t, ts, anna), passkeyHandle(t, ts, bram)
	const signIn = "/beheer/inloggen/passkey"

	try := func(what string, k softKey, count uint32, handle []byte, status int, code, message string) *http.Response {
		t.Helper()
		o := begin(t, ts, signIn+"/begin", `{"back":"/beheer/sessies"}`)
		resp, body := ts.postJSON(t, signIn+"/afronden", k.assert(t, o.PublicKey.Challenge, count, handle))
		if status != http.StatusOK {
			wantPasskeyError(t, what, resp, body, status, code, message)
		} else if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"redirect":"/beheer/sessies"`) {
			t.Fatalf("%s: %d %s, want 200 and the way back", what, resp.StatusCode, body)
		}
		return resp
	}
	try("an unknown passkey", stranger, 1, annaHandle, http.StatusUnauthorized, "unknown_passkey", nlText(t, "passkey.unknown"))
	try("a removed passkey", gone, 1, annaHandle, http.StatusUnauthorized, "removed_passkey", nlText(t, "passkey.removed"))
	try("anna's passkey with bram's handle", annaKey, 11, bramHandle, http.StatusUnauthorized, "refused", nlText(t, "passkey.failed"))
	try("a counter that went down", annaKey, 5, annaHandle, http.StatusUnauthorized, "refused", nlText(t, "passkey.cloned"))
	try("the same counter again", annaKey, 10, annaHandle, http.StatusUnauthorized, "refused", nlText(t, "passkey.cloned"))
	if resp, _ := ts.get(t, "/beheer"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("after refused sign-ins /beheer answers %d, want 303: someone is signed in", resp.StatusCode)
	}

	// A replayed answer: the ceremony is used up by the first try.
	o := begin(t, ts, signIn+"/begin", `{}`)
	answer := annaKey.assert(t, o.PublicKey.Challenge, 12, annaHandle)
	if resp, body := ts.postJSON(t, signIn+"/afronden", answer); resp.StatusCode != http.StatusOK || !strings.Contains(body, `"redirect":"/beheer"`) {
		t.Fatalf("a good sign-in: %d %s, want 200 to the dashboard", resp.StatusCode, body)
	}
	if resp, _ := ts.get(t, "/beheer"); resp.StatusCode != http.StatusOK {
		t.Errorf("after a passkey sign-in /beheer answers %d, want 200", resp.StatusCode)
	}
	if p, _ := ts.Store.PasskeyByCredential(ctx, annaKey.id); p.SignCount != 12 || p.LastUsedAt == nil {
		t.Errorf("after the sign-in the passkey has counter %d and last use %v, want 12 and a time", p.SignCount, p.LastUsedAt)
	}
	replay := ts.withNewClient(t)
	resp, body := replay.postJSON(t, signIn+"/afronden", answer)
	wantPasskeyError(t, "the answer replayed in another browser", resp, body, http.StatusBadRequest, "no_ceremony", nlText(t, "passkey.expired"))

	got := trail(t, ts, anna.ID)
	want := []string{"passkey.sign_in:<nil>", "passkey.sign_in_failed:counter", "passkey.sign_in_failed:counter",
		"passkey.sign_in_failed:signature", "passkey.sign_in_failed:removed", "passkey.removed:<nil>",
		"passkey.added:<nil>", "passkey.added:<nil>"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("anna's trail:\n got %v\nwant %v", got, want)
	}
	if unknown := trail(t, ts, 0); len(unknown) != 1 || unknown[0] != "passkey.sign_in_failed:unknown" {
		t.Errorf("trail of unknown passkeys %v, want one failure", unknown)
	}

	// As the second factor: only the pending account's own passkey.
	second := ts.withNewClient(t)
	second.postJSON(t, fmt.Sprintf("/test/pending/%d", anna.ID), "")
	o = begin(t, second, signIn+"/tweede-stap/begin", `{}`)
	resp, body = second.postJSON(t, signIn+"/tweede-stap/afronden", bramKey.assert(t, o.PublicKey.Challenge, 1, bramHandle))
	wantPasskeyError(t, "bram's passkey for anna's second step", resp, body, http.StatusUnauthorized, "refused", nlText(t, "passkey.other_account"))
	o = begin(t, second, signIn+"/tweede-stap/begin", `{}`)
	resp, body = second.postJSON(t, signIn+"/tweede-stap/afronden", annaKey.assert(t, o.PublicKey.Challenge, 13, annaHandle))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"redirect":"/beheer"`) {
		t.Fatalf("anna's second step: %d %s, want 200 to the dashboard", resp.StatusCode, body)
	}
	if resp, _ := second.get(t, "/beheer"); resp.StatusCode != http.StatusOK {
		t.Errorf("after the second step /beheer answers %d, want 200", resp.StatusCode)
	}
	if resp, _ := second.get(t, signIn); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the second-step page after signing in: %d, want 303 (nothing pending any more)", resp.StatusCode)
	}
	if got := trail(t, ts, anna.ID); got[0] != "passkey.sign_in:<nil>" || got[1] != "passkey.sign_in_failed:other_account" {
		t.Errorf("anna's trail after the second step starts %v, want the sign-in after the refusal", got[:2])
	}
}
