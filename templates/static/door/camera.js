// The camera of the scan page: shows the video and reads QR codes from it. The decoder is the
// browser's own BarcodeDetector where it has one; else the barcode-detector ponyfill with its
// zxing-cpp WebAssembly file, both served by Dagplanner itself; else jsQR (no WebAssembly).
(function (D) {
  "use strict";

  // The page names the decoders' fingerprinted addresses (data-* on #door); the plain
  // addresses serve the same files.
  var VENDOR = "/static/vendor/door/";
  function vendorURL(attr, file) {
    var el = document.getElementById("door");
    return (el && el.getAttribute(attr)) || VENDOR + file;
  }
  var INTERVAL = 120; // ms between two looks at the video
  var MAX_SIDE = 800; // frames are scaled down to this: QR codes on a ticket stay readable

  var detecting = null; // promise of {kind, detect(ImageData) -> Promise<[{rawValue}]>}
  var running = null; // {stream, timer, video}

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("cannot load " + src)); };
      document.head.appendChild(s);
    });
  }

  function nativeDetector() {
    if (!("BarcodeDetector" in window)) return Promise.reject(new Error("no BarcodeDetector"));
    return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      if (formats.indexOf("qr_code") < 0) throw new Error("BarcodeDetector reads no QR codes");
      var d = new window.BarcodeDetector({ formats: ["qr_code"] });
      return { kind: "native", detect: function (img) { return d.detect(img); } };
    });
  }

  function zxingDetector() {
    if (!window.WebAssembly) return Promise.reject(new Error("no WebAssembly"));
    return loadScript(vendorURL("data-barcode-detector", "barcode-detector.js")).then(function () {
      var api = window.BarcodeDetectionAPI;
      // The ponyfill would fetch its .wasm from a CDN; ours is next to it on this server.
      return api.prepareZXingModule({
        overrides: {
          locateFile: function (path, prefix) {
            return /\.wasm$/.test(path) ? vendorURL("data-zxing-wasm", path) : prefix + path;
          }
        },
        fireImmediately: true
      }).then(function () {
        var d = new api.BarcodeDetector({ formats: ["qr_code"] });
        return { kind: "zxing-wasm", detect: function (img) { return d.detect(img); } };
      });
    });
  }

  function jsqrDetector() {
    return loadScript(vendorURL("data-jsqr", "jsQR.js")).then(function () {
      return {
        kind: "jsqr",
        detect: function (img) {
          var r = window.jsQR(img.data, img.width, img.height, { inversionAttempts: "dontInvert" });
          return Promise.resolve(r ? [{ rawValue: r.data }] : []);
        }
      };
    });
  }

  // detector resolves to the best decoder this browser can run, chosen once.
  function detector() {
    if (!detecting) {
      detecting = nativeDetector().catch(zxingDetector).catch(function (err) {
        if (window.console) console.warn("door: zxing-wasm unavailable, using jsQR:", err);
        return jsqrDetector();
      });
      detecting.then(function (d) { camera.decoder = d.kind; }, function () {});
    }
    return detecting;
  }

  // start shows the back camera in video and calls onText with every QR code it reads.
  function start(video, onText) {
    if (running) return Promise.resolve();
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return Promise.reject(new Error("no camera API"));
    }
    var canvas = document.createElement("canvas");
    var ctx = canvas.getContext("2d", { willReadFrequently: true });
    return Promise.all([
      navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false }),
      detector()
    ]).then(function (got) {
      var stream = got[0], dec = got[1];
      running = { stream: stream, timer: 0, video: video };
      video.srcObject = stream;
      video.hidden = false;
      var me = running;
      function look() {
        if (running !== me) return;
        var w = video.videoWidth, h = video.videoHeight;
        if (!w || !h || video.readyState < 2) {
          me.timer = setTimeout(look, INTERVAL);
          return;
        }
        var scale = Math.min(1, MAX_SIDE / Math.max(w, h));
        canvas.width = Math.round(w * scale);
        canvas.height = Math.round(h * scale);
        ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
        var img = ctx.getImageData(0, 0, canvas.width, canvas.height);
        dec.detect(img).then(function (codes) {
          if (running === me && codes.length && codes[0].rawValue) onText(codes[0].rawValue);
        }, function () { /* an unreadable frame: try the next */ }).then(function () {
          if (running === me) me.timer = setTimeout(look, INTERVAL);
        });
      }
      return video.play().then(look);
    });
  }

  function stop() {
    if (!running) return;
    clearTimeout(running.timer);
    running.stream.getTracks().forEach(function (t) { t.stop(); });
    running.video.srcObject = null;
    running.video.hidden = true;
    running = null;
  }

  var camera = { start: start, stop: stop, detector: detector, decoder: "" };
  D.camera = camera;
})(window.DagplannerDoor = window.DagplannerDoor || {});
