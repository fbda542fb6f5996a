// The officer's "+1 besökare": each tap adds one on the server at once, so two phones at the
// same stop both count and nothing waits for the form to be saved.
(function () {
  "use strict";
  var out = document.getElementById("visitor-count");
  var err = document.getElementById("counter-error");
  var field = document.getElementById("visitors");
  function add(n) {
    fetch("/api/v1/stops/" + out.getAttribute("data-stop") + "/visitors", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ add: n })
    }).then(function (r) {
      return r.json().then(function (data) {
        if (!r.ok) throw new Error((data.error && data.error.message) || "status " + r.status);
        out.textContent = String(data.visitors);
        field.value = String(data.visitors);
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
