/* The phone's camera as a QR reader for the door scanner, in every browser.
   The browser's own BarcodeDetector where it reads QR codes (Chrome on Android), else jsQR (vendor/jsQR.min.js)
   on frames drawn to a canvas (iPhone Safari, WeChat, desktop browsers, Debian's Chromium).
   window.hdCamera = {usable(): Promise<bool>, start(video, onCode, controls): Promise<Session>}. */
(function () {
  "use strict";
  var MAX_SIDE = 800;  // frames are scaled down to this before jsQR reads them: fast enough on a phone

  function hasMedia() {
    return !!(window.isSecureContext && navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  }

  function nativeDetector() {
    if (!("BarcodeDetector" in window)) return Promise.resolve(null);
    var ask = BarcodeDetector.getSupportedFormats ? BarcodeDetector.getSupportedFormats() : Promise.resolve(["qr_code"]);
    return ask.then(function (formats) {
      return formats.indexOf("qr_code") >= 0 ? new BarcodeDetector({formats: ["qr_code"]}) : null;
    }).catch(function () { return null; });
  }

  function cameras() {
    if (!hasMedia() || !navigator.mediaDevices.enumerateDevices) return Promise.resolve([]);
    return navigator.mediaDevices.enumerateDevices().then(function (devices) {
      return devices.filter(function (d) { return d.kind === "videoinput"; });
    }).catch(function () { return []; });
  }

  /* A camera can be used: the page may open one, one is there, and something can read its frames. */
  function usable() {
    if (!hasMedia()) return Promise.resolve(false);
    return cameras().then(function (list) {
      if (!list.length) return false;
      if (typeof window.jsQR === "function") return true;
      return nativeDetector().then(function (d) { return !!d; });
    });
  }

  function jsqrReader() {
    var canvas = document.createElement("canvas");
    var ctx = canvas.getContext("2d", {willReadFrequently: true});
    return function (video) {
      var w = video.videoWidth, h = video.videoHeight;
      if (!w || !h) return Promise.resolve(null);
      var scale = Math.min(1, MAX_SIDE / Math.max(w, h));
      canvas.width = Math.round(w * scale); canvas.height = Math.round(h * scale);
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = ctx.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(image.data, image.width, image.height, {inversionAttempts: "attemptBoth"});
      return Promise.resolve(found && found.data ? found.data : null);
    };
  }

  function nativeReader(detector) {
    return function (video) {
      if (!video.videoWidth) return Promise.resolve(null);
      return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
    };
  }

  /* Open the camera into ``video`` and call onCode(text) for each code read (the same code at most every 3 s).
     ``controls``: {switchButton, torchButton, onTorch(on)} shown only where the device offers them. */
  function start(video, onCode, controls) {
    controls = controls || {};
    var stream = null, stopped = false, timer = null, deviceIds = [], current = -1, torch = false;
    var last = "", lastAt = 0;

    function stopTracks() {
      if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
      stream = null;
    }
    function open(deviceId) {
      var video_ = deviceId ? {deviceId: {exact: deviceId}} : {facingMode: {ideal: "environment"}};
      video_.width = {ideal: 1280}; video_.height = {ideal: 720};
      return navigator.mediaDevices.getUserMedia({video: video_, audio: false}).then(function (s) {
        stopTracks();
        stream = s; video.srcObject = s; video.hidden = false;
        torch = false;
        var track = s.getVideoTracks()[0];
        var caps = track && track.getCapabilities ? track.getCapabilities() : {};
        if (controls.torchButton) {
          controls.torchButton.hidden = !caps.torch;
          controls.torchButton.setAttribute("aria-pressed", "false");
          if (controls.onTorch) controls.onTorch(false);
        }
        var settings = track && track.getSettings ? track.getSettings() : {};
        return cameras().then(function (list) {
          deviceIds = list.map(function (d) { return d.deviceId; }).filter(Boolean);
          current = deviceIds.indexOf(settings.deviceId);
          if (controls.switchButton) controls.switchButton.hidden = deviceIds.length < 2;
          return video.play();
        });
      });
    }
    function loop(read) {
      if (stopped) return;
      read(video).then(function (text) {
        if (!text) return;
        var now = Date.now();
        if (text !== last || now - lastAt > 3000) { last = text; lastAt = now; onCode(text); }
      }).catch(function () { /* a frame that could not be read: try the next */ })
        .then(function () { if (!stopped) timer = setTimeout(function () { loop(read); }, 150); });
    }

    return nativeDetector().then(function (detector) {
      var read = detector ? nativeReader(detector) : jsqrReader();
      return open(null).then(function () {
        loop(read);
        return {
          stop: function () {
            stopped = true; clearTimeout(timer); stopTracks();
            video.srcObject = null; video.hidden = true;
            if (controls.torchButton) controls.torchButton.hidden = true;
            if (controls.switchButton) controls.switchButton.hidden = true;
          },
          switchCamera: function () {
            if (deviceIds.length < 2) return Promise.resolve();
            return open(deviceIds[(current + 1) % deviceIds.length]);
          },
          toggleTorch: function () {
            var track = stream && stream.getVideoTracks()[0];
            if (!track) return Promise.resolve(false);
            return track.applyConstraints({advanced: [{torch: !torch}]}).then(function () {
              torch = !torch;
              if (controls.torchButton) controls.torchButton.setAttribute("aria-pressed", String(torch));
              if (controls.onTorch) controls.onTorch(torch);
              return torch;
            });
          },
          reader: detector ? "BarcodeDetector" : "jsQR"
        };
      });
    });
  }

  window.hdCamera = {usable: usable, start: start};
})();
