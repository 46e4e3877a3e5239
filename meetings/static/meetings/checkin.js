// The check-in page's progressive enhancement: the camera scans the QR code into the form (where the
// browser has the BarcodeDetector API), and the arrival count follows other coordinators' check-ins.
// Without JavaScript, or without the API, the code is typed and the form sent as it is.
(function () {
  "use strict";
  var form = document.querySelector(".checkin-form");
  if (!form) return;
  var input = form.querySelector('input[name="code"]');
  var counts = document.getElementById("checkin-counts");
  if (counts && window.fetch) {
    window.setInterval(function () {
      fetch(counts.getAttribute("data-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) return;
          var arrived = counts.querySelector('[data-count="arrived"]');
          if (arrived && String(data.arrived) !== arrived.textContent) arrived.textContent = data.arrived;
        })
        .catch(function () {});
    }, 15000);
  }
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  var box = document.querySelector(".checkin-camera");
  var button = box.querySelector("[data-scan]");
  var video = box.querySelector("video");
  var status = box.querySelector("[data-scan-status]");
  box.hidden = false;
  button.addEventListener("click", function () {
    var detector;
    try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { status.textContent = e.message; return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      button.disabled = true;
      video.play();
      var tick = function () {
        detector.detect(video).then(function (codes) {
          if (codes.length) {
            stream.getTracks().forEach(function (t) { t.stop(); });
            input.value = codes[0].rawValue;
            form.submit();
            return;
          }
          window.setTimeout(tick, 250);
        }).catch(function () { window.setTimeout(tick, 500); });
      };
      tick();
    }).catch(function (e) { status.textContent = e.message; });
  });
})();
