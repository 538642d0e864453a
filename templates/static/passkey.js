// Passkeys (WebAuthn): adding one on the account's passkey page, and signing in with one on
// the sign-in page (without a password) or on the second step after a password. Each is two
// JSON requests around the browser's own dialogue: begin (the server's options, with its
// challenge) and afronden (the browser's answer, which the server checks). The server sends
// binary values as base64url; the browser's API wants ArrayBuffers, and back again.
// Without JavaScript or passkey support the parts stay hidden and a sentence says so; the
// password form works either way. Messages come from the page's data attributes, so they
// are in the page's language.
(function () {
  "use strict";
  var supported = !!(window.PublicKeyCredential && navigator.credentials && window.fetch);

  function fromB64u(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }
  function toB64u(buf) {
    if (!buf) return null;
    var bytes = new Uint8Array(buf), bin = "";
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function decodeIDs(list) {
    (list || []).forEach(function (c) { c.id = fromB64u(c.id); });
  }

  // post sends body as JSON and resolves to {ok, data}; data.error.message explains a refusal.
  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) { return { ok: r.ok, data: data }; });
    });
  }

  function failure(root, res) {
    return (res.data && res.data.error && res.data.error.message) || root.getAttribute("data-msg-failed");
  }
  // browserError is the message for an error of the browser's dialogue: the person cancelled
  // it (or it timed out), or something else went wrong.
  function browserError(root, err) {
    var name = err && err.name;
    return root.getAttribute(name === "NotAllowedError" || name === "AbortError" ? "data-msg-cancelled" : "data-msg-failed");
  }

  function credentialJSON(cred, response) {
    return {
      id: cred.id, rawId: toB64u(cred.rawId), type: cred.type,
      authenticatorAttachment: cred.authenticatorAttachment || undefined,
      response: response,
      clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {}
    };
  }

  // signalUnknown tells the passkey manager that a passkey the server does not know (or
  // removed) is of no use on this site, so it stops offering it (where the browser can).
  function signalUnknown(options, answer, done) {
    var code = done.data && done.data.error && done.data.error.code;
    if ((code !== "unknown_passkey" && code !== "removed_passkey") || !options.rpId ||
        typeof PublicKeyCredential.signalUnknownCredential !== "function") return;
    PublicKeyCredential.signalUnknownCredential({ rpId: options.rpId, credentialId: answer.id }).catch(function () {});
  }

  // run does one ceremony: begin with body, let the browser answer the options (browserStep
  // returns a promise of the answer's JSON), finish with the answer, then go where the server
  // says. beginRefused handles a refused begin; it returns true when it showed the problem.
  function run(root, status, base, body, browserStep, beginRefused) {
    status.textContent = root.getAttribute("data-msg-working");
    return post(base + "/begin", body).then(function (res) {
      if (!res.ok) {
        if (!beginRefused || !beginRefused(res)) status.textContent = failure(root, res);
        return;
      }
      var options = res.data.publicKey, answer;
      return browserStep(options).then(function (a) {
        answer = a;
        return post(base + "/afronden", answer);
      }, function (err) {
        status.textContent = browserError(root, err);
      }).then(function (done) {
        if (!done) return;
        if (done.ok) {
          window.location.assign(done.data.redirect);
          return;
        }
        status.textContent = failure(root, done);
        signalUnknown(options, answer, done);
      });
    }).catch(function () {
      status.textContent = root.getAttribute("data-msg-failed");
    });
  }

  // ---- adding a passkey
  function setFieldError(input, message) {
    var field = input.closest(".utrecht-form-field");
    var id = input.id + "-error";
    var el = document.getElementById(id);
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (s) { return s && s !== id; });
    if (!message) {
      if (el) el.remove();
      input.removeAttribute("aria-invalid");
      field.classList.remove("utrecht-form-field--invalid");
      input.setAttribute("aria-describedby", described.join(" "));
      return;
    }
    if (!el) {
      el = document.createElement("div");
      el.className = "utrecht-form-field-error-message";
      el.id = id;
      field.insertBefore(el, field.querySelector(".utrecht-form-field__input"));
    }
    el.textContent = message;
    input.setAttribute("aria-invalid", "true");
    field.classList.add("utrecht-form-field--invalid");
    described.push(id);
    input.setAttribute("aria-describedby", described.join(" "));
    input.focus();
  }

  function setUpRegister(root) {
    var form = root.querySelector("[data-passkey-form]");
    var status = root.querySelector("[data-passkey-status]");
    var input = form.querySelector("input[name=name]");
    var base = root.getAttribute("data-passkey-register");
    var busy = false;
    root.querySelector("[data-passkey-unsupported]").hidden = true;
    form.hidden = false;
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (busy) return;
      busy = true;
      setFieldError(input, "");
      run(root, status, base, { name: input.value }, function (options) {
        options.challenge = fromB64u(options.challenge);
        options.user.id = fromB64u(options.user.id);
        decodeIDs(options.excludeCredentials);
        return navigator.credentials.create({ publicKey: options }).then(function (cred) {
          return credentialJSON(cred, {
            clientDataJSON: toB64u(cred.response.clientDataJSON),
            attestationObject: toB64u(cred.response.attestationObject),
            transports: cred.response.getTransports ? cred.response.getTransports() : []
          });
        });
      }, function (res) {
        var fields = res.data && res.data.error && res.data.error.fields;
        if (!fields || !fields.name) return false;
        status.textContent = "";
        setFieldError(input, fields.name);
        return true;
      }).then(function () { busy = false; });
    });
  }

  // ---- signing in with a passkey
  function setUpSignIn(root) {
    var button = root.querySelector("[data-passkey-button]");
    var status = root.querySelector("[data-passkey-status]");
    var base = root.getAttribute("data-passkey-signin");
    var unsupported = root.querySelector("[data-passkey-unsupported]");
    var busy = false;
    if (unsupported) unsupported.hidden = true;
    root.hidden = false;
    button.hidden = false;
    button.addEventListener("click", function () {
      if (busy) return;
      busy = true;
      run(root, status, base, { back: root.getAttribute("data-passkey-back") || "" }, function (options) {
        options.challenge = fromB64u(options.challenge);
        decodeIDs(options.allowCredentials);
        return navigator.credentials.get({ publicKey: options }).then(function (cred) {
          return credentialJSON(cred, {
            clientDataJSON: toB64u(cred.response.clientDataJSON),
            authenticatorData: toB64u(cred.response.authenticatorData),
            signature: toB64u(cred.response.signature),
            userHandle: toB64u(cred.response.userHandle)
          });
        });
      }).then(function () { busy = false; });
    });
  }

  if (!supported) return;
  var register = document.querySelector("[data-passkey-register]");
  if (register) setUpRegister(register);
  var signIn = document.querySelector("[data-passkey-signin]");
  if (signIn) setUpSignIn(signIn);
})();
