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
  // More contacts than visitors is probably a slip of the thumb: said at once, while typing,
  // and never in the way of saving (the server questions the saved log the same way).
  var hint = document.getElementById("contacts-hint");
  var typed = document.getElementById("visitors");
  function check() {
    var total = 0;
    ["c1", "c2", "c3", "c4"].forEach(function (id) { total += parseInt(document.getElementById(id).value, 10) || 0; });
    var visitors = typed.value.trim() !== "" ? parseInt(typed.value, 10) || 0 : parseInt(out.textContent, 10) || 0;
    hint.hidden = total <= visitors;
    if (!hint.hidden) hint.textContent = total + " kontakter men " + visitors + " besökare: stämmer det? Du kan spara ändå.";
  }
  ["c1", "c2", "c3", "c4", "visitors"].forEach(function (id) { document.getElementById(id).addEventListener("input", check); });
  new MutationObserver(check).observe(out, { childList: true });
  document.getElementById("plus-one").addEventListener("click", function () { add(1); });
  document.getElementById("minus-one").addEventListener("click", function () { add(-1); });
})();
