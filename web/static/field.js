// The officer's "+1 besökare": each tap adds one on the server at once, so two phones at the
// same stop both count and nothing waits for the form to be saved. The form below has no
// count to overwrite them with: its correction states the count it replaces, which follows
// the counter as this phone shows it.
(function () {
  "use strict";
  var out = document.getElementById("visitor-count");
  var err = document.getElementById("counter-error");
  var from = document.getElementById("visitors_from");
  var shown = document.getElementById("visitors-from-shown");
  // Taps go one after the other: answers to taps sent at once can arrive in any order, and the
  // last to arrive would show an older count than the server holds (and the correction would
  // then replace a count that is no longer there).
  var queue = Promise.resolve();
  function add(n) {
    queue = queue.then(function () { return send(n); });
  }
  function send(n) {
    return fetch("/api/v1/stops/" + out.getAttribute("data-stop") + "/visitors", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ add: n })
    }).then(function (r) {
      return r.json().then(function (data) {
        if (!r.ok) throw new Error((data.error && data.error.message) || "status " + r.status);
        out.textContent = String(data.visitors);
        from.value = String(data.visitors);
        shown.textContent = String(data.visitors);
        err.hidden = true;
      });
    }).catch(function (e) {
      err.textContent = "Kunde inte räkna: " + e.message + ". Försök igen.";
      err.hidden = false;
    });
  }
  document.getElementById("plus-one").addEventListener("click", function () { add(1); });
  document.getElementById("minus-one").addEventListener("click", function () { add(-1); });
})();
